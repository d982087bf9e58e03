package io.aviary.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests: rendered by kubectl's kustomize like an operator would, read strictly
 * into the typed Kubernetes model, and checked for what the API server cannot check: probes on the
 * actuator groups, bounded resources, selectors that really reach the pods, references that resolve.
 */
class KubernetesManifestsTest {

    private static final Path BASE = Repository.kubernetes("base");
    private static final Path DEV = Repository.kubernetes("overlays/dev");

    private static final String GATEWAY = "aviary-gateway";
    private static final List<String> DEPLOYMENTS = List.of(GATEWAY, "aviary-router", "aviary-session", "aviary-roster",
            "aviary-archive", "aviary-upload", "aviary-muc", "aviary-pubsub", "aviary-s2s", "aviary-admin");
    /** Everything but the session and federation services keeps state in PostgreSQL or reads accounts there. */
    private static final List<String> DATABASE_USERS = List.of(GATEWAY, "aviary-router", "aviary-roster", "aviary-archive",
            "aviary-upload", "aviary-muc", "aviary-pubsub", "aviary-admin");
    private static final List<Integer> CLIENT_PORTS = List.of(5222, 5223, 5280, 5443);
    private static final List<Integer> UPLOAD_PORTS = List.of(5281, 7777);
    private static final List<Integer> S2S_PORTS = List.of(5269, 5270);
    private static final int MANAGEMENT_PORT = 9090;
    private static final List<String> REQUIRED_CONFIG = List.of("AVIARY_DOMAIN", "AVIARY_BUS_KAFKA_BOOTSTRAP_SERVERS",
            "AVIARY_REGISTRY_REDIS_URL", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME");

    @Test
    void baseFilesAreDeployableAsWritten() {
        // Runs without kubectl: the base is plain manifests, so the files are what kustomize renders.
        assertDeployable(Manifests.readPlainKustomization(BASE));
    }

    @Test
    void baseRendersWithKustomize() {
        Manifests base = kustomize(BASE);

        assertDeployable(base);
        // What the file-based check above saw is exactly what kubectl applies.
        assertThat(base.resources()).containsExactlyInAnyOrderElementsOf(Manifests.readPlainKustomization(BASE).resources());
    }

    @Test
    void devOverlayRunsOneSmallCopyOfEachServiceAgainstInClusterInfrastructure() {
        Manifests base = kustomize(BASE);
        Manifests dev = kustomize(DEV);

        assertDeployable(dev);
        for (Deployment deployment : dev.all(Deployment.class)) {
            String name = deployment.getMetadata().getName();
            Optional<HorizontalPodAutoscaler> autoscaler = autoscalerOf(dev, deployment);
            Integer replicas = autoscaler.map(hpa -> hpa.getSpec().getMinReplicas()).orElse(deployment.getSpec().getReplicas());
            assertThat(replicas).as("replicas of %s in dev", name).isEqualTo(1);
            for (Container container : containers(deployment)) {
                Container inBase = containers(base.named(Deployment.class, name)).stream()
                        .filter(candidate -> candidate.getName().equals(container.getName()))
                        .findFirst().orElseThrow();
                assertThat(amount(container.getResources().getLimits(), "memory"))
                        .as("dev memory limit of %s", name)
                        .isLessThan(amount(inBase.getResources().getLimits(), "memory"));
            }
        }
        Map<String, String> config = dev.named(ConfigMap.class, "aviary-config").getData();
        assertThat(config).containsEntry("AVIARY_BUS_KAFKA_REPLICATION_FACTOR", "1");
        assertThat(config.get("AVIARY_BUS_KAFKA_BOOTSTRAP_SERVERS"))
                .isNotEqualTo(base.named(ConfigMap.class, "aviary-config").getData().get("AVIARY_BUS_KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void strictReadingRejectsAMisspeltField() {
        // Guards the validator itself: fabric8 would otherwise keep the typo as an "additional property".
        String misspelt = """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: aviary-router
                spec:
                  selector:
                    matchLabels: {app: router}
                  template:
                    metadata:
                      labels: {app: router}
                    spec:
                      containers:
                        - name: router
                          image: aviary/router:0.1.0-SNAPSHOT
                          livenesProbe:
                            httpGet: {path: /actuator/health/liveness, port: 9090}
                """;

        assertThatThrownBy(() -> Manifests.parse("misspelt", misspelt)).hasMessageContaining("livenesProbe");
    }

    @Test
    void strictReadingRejectsInfrastructureAndRetiredApiVersions() {
        assertThatThrownBy(() -> Manifests.parse("kafka", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: kafka}\n"))
                .hasMessageContaining("unexpected kind StatefulSet");
        assertThatThrownBy(() -> Manifests.parse("pdb", "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: x}\n"))
                .hasMessageContaining("must use apiVersion policy/v1");
    }

    private static Manifests kustomize(Path directory) {
        Optional<CommandLineTool> kubectl = CommandLineTool.onPath("kubectl");
        assumeTrue(kubectl.isPresent(),
                "kubectl is not on PATH: rendering " + directory + " skipped (apt-get install kubernetes-client)");
        CommandLineTool.Result rendered = kubectl.get().run("kustomize", directory.toString());
        assertThat(rendered.succeeded()).as("kubectl kustomize %s: %s", directory, rendered.describe()).isTrue();
        return Manifests.parse("kubectl kustomize " + directory, rendered.out());
    }

    /** What every rendering of Aviary's manifests (the Kustomize trees, the Helm chart) must satisfy. */
    static void assertDeployable(Manifests cluster) {
        assertThat(cluster.all(Deployment.class)).extracting(deployment -> deployment.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(DEPLOYMENTS);
        assertThat(cluster.resources()).as("namespace-agnostic")
                .allSatisfy(resource -> assertThat(resource.getMetadata().getNamespace()).isNull());
        assertThat(cluster.named(ConfigMap.class, "aviary-config").getData()).containsKeys(REQUIRED_CONFIG.toArray(String[]::new));

        for (Deployment deployment : cluster.all(Deployment.class)) {
            assertSelectsItsOwnPods(deployment);
            assertRunsAsNonRootWithTimeToDrain(deployment);
            containers(deployment).forEach(container -> {
                assertProbedOnActuatorGroups(deployment, container);
                assertResourcesBounded(deployment, container);
                assertReferencesResolve(cluster, container);
            });
            assertThat(servicesOf(cluster, deployment)).as("Services selecting %s", name(deployment)).isNotEmpty();
            assertThat(cluster.all(PodDisruptionBudget.class))
                    .as("PodDisruptionBudget for %s", name(deployment))
                    .anySatisfy(budget -> assertThat(selects(budget.getSpec().getSelector().getMatchLabels(), deployment)).isTrue());
        }
        for (String name : DATABASE_USERS) {
            assertThat(env(cluster.named(Deployment.class, name), "SPRING_DATASOURCE_PASSWORD").getSecretKeyRef())
                    .as("database password of %s comes from a Secret", name).isNotNull();
        }
        assertEveryServiceAndBudgetReachesADeployment(cluster);
        assertGatewayIsReachableAndScaled(cluster);
        assertUploadIsReachable(cluster);
        assertFederationIsReachable(cluster);
    }

    private static void assertSelectsItsOwnPods(Deployment deployment) {
        var selector = deployment.getSpec().getSelector();
        assertThat(selector.getMatchExpressions()).as("%s selector: matchLabels only", name(deployment)).isNullOrEmpty();
        assertThat(selector.getMatchLabels()).as("%s selector", name(deployment)).isNotEmpty();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .as("%s template labels", name(deployment))
                .containsAllEntriesOf(selector.getMatchLabels());
    }

    private static void assertRunsAsNonRootWithTimeToDrain(Deployment deployment) {
        var pod = deployment.getSpec().getTemplate().getSpec();
        PodSecurityContext security = pod.getSecurityContext();
        assertThat(security).as("%s pod securityContext", name(deployment)).isNotNull();
        assertThat(security.getRunAsNonRoot()).as("%s runAsNonRoot", name(deployment)).isTrue();
        assertThat(security.getRunAsUser()).as("%s runAsUser", name(deployment)).isNotNull().isNotZero();
        containers(deployment).forEach(container -> assertThat(container.getSecurityContext())
                .as("%s container securityContext", container.getName())
                .isNotNull()
                .satisfies(context -> assertThat(context.getAllowPrivilegeEscalation()).as("allowPrivilegeEscalation").isFalse()));
        // A gateway drains its streams within ~20 s of SIGTERM.
        assertThat(pod.getTerminationGracePeriodSeconds()).as("%s terminationGracePeriodSeconds", name(deployment))
                .isGreaterThanOrEqualTo(30L);
    }

    private static void assertProbedOnActuatorGroups(Deployment deployment, Container container) {
        assertProbe(container, "liveness", container.getLivenessProbe(), "/actuator/health/liveness");
        assertProbe(container, "readiness", container.getReadinessProbe(), "/actuator/health/readiness");
        if (container.getStartupProbe() != null) {
            assertProbe(container, "startup", container.getStartupProbe(), "/actuator/health/liveness");
        }
    }

    private static void assertProbe(Container container, String kind, Probe probe, String path) {
        assertThat(probe).as("%s probe of %s", kind, container.getName()).isNotNull();
        HTTPGetAction httpGet = probe.getHttpGet();
        assertThat(httpGet).as("%s probe of %s is an HTTP GET", kind, container.getName()).isNotNull();
        assertThat(httpGet.getPath()).as("%s probe path of %s", kind, container.getName()).isEqualTo(path);
        assertThat(containerPort(container, httpGet.getPort()))
                .as("%s probe port of %s", kind, container.getName()).contains(MANAGEMENT_PORT);
    }

    private static void assertResourcesBounded(Deployment deployment, Container container) {
        var resources = container.getResources();
        assertThat(resources).as("resources of %s", name(deployment)).isNotNull();
        for (String resource : List.of("cpu", "memory")) {
            BigDecimal request = amount(resources.getRequests(), resource);
            BigDecimal limit = amount(resources.getLimits(), resource);
            assertThat(request).as("%s request of %s", resource, name(deployment)).isPositive();
            assertThat(limit).as("%s limit of %s", resource, name(deployment)).isGreaterThanOrEqualTo(request);
        }
    }

    private static void assertReferencesResolve(Manifests cluster, Container container) {
        container.getEnvFrom().forEach(source -> {
            assertThat(source.getConfigMapRef()).as("envFrom of %s", container.getName()).isNotNull();
            cluster.named(ConfigMap.class, source.getConfigMapRef().getName());
        });
        for (EnvVar variable : container.getEnv()) {
            EnvVarSource from = variable.getValueFrom();
            if (from != null && from.getSecretKeyRef() != null) {
                Secret secret = cluster.named(Secret.class, from.getSecretKeyRef().getName());
                assertThat(secretKeys(secret)).as("keys of Secret %s", secret.getMetadata().getName())
                        .contains(from.getSecretKeyRef().getKey());
            }
            if (from != null && from.getConfigMapKeyRef() != null) {
                assertThat(cluster.named(ConfigMap.class, from.getConfigMapKeyRef().getName()).getData())
                        .containsKey(from.getConfigMapKeyRef().getKey());
            }
        }
    }

    private static void assertEveryServiceAndBudgetReachesADeployment(Manifests cluster) {
        for (Service service : cluster.all(Service.class)) {
            List<Deployment> targets = cluster.all(Deployment.class).stream()
                    .filter(deployment -> selects(service.getSpec().getSelector(), deployment))
                    .toList();
            assertThat(targets).as("pods behind Service %s", service.getMetadata().getName()).isNotEmpty();
            for (ServicePort port : service.getSpec().getPorts()) {
                IntOrString target = port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
                targets.forEach(deployment -> assertThat(containers(deployment))
                        .as("Service %s port %s reaches a container port of %s", service.getMetadata().getName(),
                                port.getPort(), name(deployment))
                        .anySatisfy(container -> assertThat(containerPort(container, target)).isPresent()));
            }
        }
        for (PodDisruptionBudget budget : cluster.all(PodDisruptionBudget.class)) {
            assertThat(cluster.all(Deployment.class))
                    .as("pods guarded by PodDisruptionBudget %s", budget.getMetadata().getName())
                    .anySatisfy(deployment -> assertThat(selects(budget.getSpec().getSelector().getMatchLabels(), deployment)).isTrue());
        }
    }

    /** Clients reach the upload service's HTTPS uploads (XEP-0363) and SOCKS5 proxy (XEP-0065) from outside. */
    private static void assertUploadIsReachable(Manifests cluster) {
        Deployment upload = cluster.named(Deployment.class, "aviary-upload");
        assertReachableFromOutside(cluster, upload, UPLOAD_PORTS);
        assertThat(env(upload, "AVIARY_UPLOAD_HTTP_SECRET").getSecretKeyRef()).as("the upload URL key, from a Secret")
                .isNotNull();
    }

    /** Remote servers reach the federation service (5269, and 5270 direct TLS); its instances share a dialback secret. */
    private static void assertFederationIsReachable(Manifests cluster) {
        Deployment s2s = cluster.named(Deployment.class, "aviary-s2s");
        assertReachableFromOutside(cluster, s2s, S2S_PORTS);
        assertThat(env(s2s, "AVIARY_S2S_DIALBACK_SECRET").getSecretKeyRef()).as("the dialback secret, from a Secret")
                .isNotNull();
    }

    /** A LoadBalancer Service selects the Deployment's pods and maps each of {@code ports} to the same container port. */
    private static void assertReachableFromOutside(Manifests cluster, Deployment deployment, List<Integer> ports) {
        Service clients = servicesOf(cluster, deployment).stream()
                .filter(service -> "LoadBalancer".equals(service.getSpec().getType()))
                .findFirst().orElseThrow(() -> new AssertionError("no LoadBalancer Service for " + name(deployment)));
        for (int clientPort : ports) {
            ServicePort port = clients.getSpec().getPorts().stream().filter(candidate -> candidate.getPort() == clientPort)
                    .findFirst().orElseThrow(() -> new AssertionError(name(deployment) + " Service lacks port " + clientPort));
            assertThat(containerPort(containers(deployment).get(0), port.getTargetPort()))
                    .as("target of port %s of %s", clientPort, name(deployment)).contains(clientPort);
        }
    }

    private static void assertGatewayIsReachableAndScaled(Manifests cluster) {
        Deployment gateway = cluster.named(Deployment.class, GATEWAY);
        Container container = containers(gateway).get(0);

        assertReachableFromOutside(cluster, gateway, CLIENT_PORTS);

        assertThat(env(gateway, "AVIARY_GATEWAY_ID").getFieldRef().getFieldPath()).isEqualTo("metadata.name");

        HorizontalPodAutoscaler autoscaler = autoscalerOf(cluster, gateway)
                .orElseThrow(() -> new AssertionError("no HorizontalPodAutoscaler for the gateways"));
        assertThat(autoscaler.getSpec().getMetrics()).as("gateway autoscaling metrics")
                .anySatisfy(metric -> assertThat(metric.getResource().getName()).isEqualTo("cpu"));
        // Utilization is relative to the request; a fixed replica count would fight the autoscaler on every apply.
        assertThat(amount(container.getResources().getRequests(), "cpu")).isPositive();
        assertThat(gateway.getSpec().getReplicas()).as("replicas of an autoscaled Deployment").isNull();
        assertThat(autoscaler.getSpec().getMaxReplicas()).isGreaterThanOrEqualTo(autoscaler.getSpec().getMinReplicas());
    }

    private static Optional<HorizontalPodAutoscaler> autoscalerOf(Manifests cluster, Deployment deployment) {
        return cluster.all(HorizontalPodAutoscaler.class).stream()
                .filter(hpa -> hpa.getSpec().getScaleTargetRef().getKind().equals("Deployment")
                        && hpa.getSpec().getScaleTargetRef().getName().equals(name(deployment)))
                .findFirst();
    }

    private static List<Service> servicesOf(Manifests cluster, Deployment deployment) {
        return cluster.all(Service.class).stream()
                .filter(service -> selects(service.getSpec().getSelector(), deployment))
                .toList();
    }

    /** An empty selector would match every pod (or, for a Service, none): neither is a target. */
    private static boolean selects(Map<String, String> selector, Deployment deployment) {
        return selector != null && !selector.isEmpty()
                && deployment.getSpec().getTemplate().getMetadata().getLabels().entrySet().containsAll(selector.entrySet());
    }

    /** The number of the container port a probe or Service names, by name or by number. */
    private static Optional<Integer> containerPort(Container container, IntOrString reference) {
        return container.getPorts().stream()
                .filter(port -> reference.getIntVal() != null
                        ? reference.getIntVal().equals(port.getContainerPort())
                        : reference.getStrVal().equals(port.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst();
    }

    private static EnvVarSource env(Deployment deployment, String variable) {
        return containers(deployment).stream()
                .flatMap(container -> container.getEnv().stream())
                .filter(candidate -> candidate.getName().equals(variable) && candidate.getValueFrom() != null)
                .map(EnvVar::getValueFrom)
                .findFirst()
                .orElseThrow(() -> new AssertionError(name(deployment) + " does not take " + variable + " from a reference"));
    }

    private static List<String> secretKeys(Secret secret) {
        return Stream.concat(
                        secret.getData() == null ? Stream.empty() : secret.getData().keySet().stream(),
                        secret.getStringData() == null ? Stream.empty() : secret.getStringData().keySet().stream())
                .toList();
    }

    private static BigDecimal amount(Map<String, Quantity> quantities, String resource) {
        assertThat(quantities).as("quantities").isNotNull().containsKey(resource);
        return Quantity.getAmountInBytes(quantities.get(resource));
    }

    private static List<Container> containers(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers();
    }

    private static String name(Deployment deployment) {
        return deployment.getMetadata().getName();
    }
}
