package io.aviary.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart in deploy/helm/aviary, linted and rendered by Helm's own library (helm-java: no helm binary needed):
 * with its default values and the release name {@code aviary} it renders exactly the Kustomize base, object for
 * object (besides the labels Helm adds to what it manages), so it passes the same checks; its values switch tiers
 * off, retag images and follow the release name without breaking a reference.
 */
class HelmChartTest {

    private static final Path CHART = Repository.deployModule().resolve("helm").resolve("aviary");
    private static final Path BASE = Repository.kubernetes("base");
    /** Labels on the objects Helm manages, which the hand-written base does not carry. */
    private static final List<String> HELM_LABELS = List.of("app.kubernetes.io/managed-by", "helm.sh/chart");

    @Test
    void helmLintFindsNothingEvenStrictly() {
        LintResult lint = new Helm(CHART).lint().strict().call();

        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    }

    @Test
    void defaultValuesRenderTheKustomizeBase() {
        Manifests chart = render(template("aviary"));

        KubernetesManifestsTest.assertDeployable(chart);
        Map<String, HasMetadata> rendered = byKindAndName(chart.resources().stream().map(HelmChartTest::withoutHelmLabels));
        Map<String, HasMetadata> base = byKindAndName(Manifests.readPlainKustomization(BASE).resources().stream());
        assertThat(rendered.keySet()).containsExactlyInAnyOrderElementsOf(base.keySet());
        base.forEach((key, expected) -> assertThat(rendered.get(key)).as("%s rendered by the chart", key).isEqualTo(expected));
    }

    @Test
    void everyObjectHelmManagesSaysSo() {
        assertThat(render(template("aviary")).resources()).allSatisfy(resource -> assertThat(resource.getMetadata().getLabels())
                .as("labels of %s %s", resource.getKind(), resource.getMetadata().getName())
                .containsEntry("app.kubernetes.io/managed-by", "Helm").containsKey("helm.sh/chart"));
    }

    @Test
    void aTierSwitchedOffIsGoneAndImagesFollowTheTag() {
        Manifests chart = render(template("aviary").set("tiers.s2s.enabled", false).set("image.tag", "1.2.3")
                .set("image.prefix", "registry.example.org/aviary-"));

        assertThat(chart.resources()).noneSatisfy(resource -> assertThat(resource.getMetadata().getName()).startsWith("aviary-s2s"));
        assertThat(chart.all(Deployment.class)).isNotEmpty().allSatisfy(deployment -> assertThat(containers(deployment))
                .allSatisfy(container -> assertThat(container.getImage())
                        .isEqualTo("registry.example.org/aviary-" + container.getName() + ":1.2.3")));
    }

    @Test
    void anotherReleaseNameRenamesEveryObjectAndEveryReference() {
        Manifests chart = render(template("chat"));

        assertThat(chart.resources()).allSatisfy(resource -> assertThat(resource.getMetadata().getName()).startsWith("chat-"));
        for (Deployment deployment : chart.all(Deployment.class)) {
            for (Container container : containers(deployment)) {
                container.getEnvFrom().forEach(source -> chart.named(ConfigMap.class, source.getConfigMapRef().getName()));
                container.getEnv().stream().map(variable -> variable.getValueFrom())
                        .filter(from -> from != null && from.getSecretKeyRef() != null)
                        .map(EnvVarSource::getSecretKeyRef)
                        .forEach(reference -> assertThat(chart.named(Secret.class, reference.getName()).getStringData())
                                .as("%s of %s", reference.getKey(), deployment.getMetadata().getName())
                                .containsKey(reference.getKey()));
            }
        }
    }

    @Test
    void theSecretCanBeLeftToAnOperator() {
        assertThat(render(template("aviary").set("secrets.create", false)).all(Secret.class)).isEmpty();
    }

    private static TemplateCommand template(String release) {
        return new Helm(CHART).template().withName(release);
    }

    private static Manifests render(TemplateCommand template) {
        return Manifests.parse("helm template " + CHART, template.call());
    }

    private static HasMetadata withoutHelmLabels(HasMetadata resource) {
        HELM_LABELS.forEach(resource.getMetadata().getLabels()::remove);
        return resource;
    }

    private static Map<String, HasMetadata> byKindAndName(Stream<HasMetadata> resources) {
        return resources.collect(Collectors.toMap(resource -> resource.getKind() + " " + resource.getMetadata().getName(),
                Function.identity()));
    }

    private static List<Container> containers(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers();
    }
}
