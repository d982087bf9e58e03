package io.aviary.deploy;

import static java.util.stream.Collectors.toMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The Kubernetes objects of one kustomization, read strictly into fabric8's typed model: a field
 * the API does not have, a kind we do not ship or an old API version is an error, not a warning.
 */
record Manifests(String source, List<HasMetadata> resources) {

    /** What Aviary ships, each in the API version it must use. Kafka, Redis and PostgreSQL are not among them. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Stream.of(
                    Deployment.class, Service.class, HorizontalPodAutoscaler.class,
                    PodDisruptionBudget.class, ConfigMap.class, Secret.class)
            .collect(toMap(HasMetadata::getKind, Function.identity()));

    /**
     * fabric8 keeps unknown fields in an any-setter map, which would make FAIL_ON_UNKNOWN_PROPERTIES
     * useless; without the any-setter, a misspelt field fails like it would with kubectl's strict validation.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return null;
                }
            })
            .build();

    private static final Set<String> PLAIN_KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "resources");

    /** Parses the output of {@code kubectl kustomize} or the text of a manifest file. */
    static Manifests parse(String source, String yaml) {
        return new Manifests(source, YamlDocuments.all(yaml).stream().map(document -> toResource(source, document)).toList());
    }

    /**
     * Reads a kustomization that only lists resource files, without kustomize: what kubectl would
     * render from it is exactly those files.
     */
    static Manifests readPlainKustomization(Path directory) {
        Map<?, ?> kustomization = (Map<?, ?>) YamlDocuments.single(directory.resolve("kustomization.yaml"));
        if (!PLAIN_KUSTOMIZATION_FIELDS.containsAll(kustomization.keySet())) {
            throw new IllegalArgumentException(directory + " transforms its resources (" + kustomization.keySet()
                    + "): only kustomize can render it");
        }
        List<HasMetadata> resources = new ArrayList<>();
        for (Object file : (List<?>) kustomization.get("resources")) {
            Path path = directory.resolve(file.toString());
            YamlDocuments.all(path).forEach(document -> resources.add(toResource(path.toString(), document)));
        }
        return new Manifests(directory.toString(), List.copyOf(resources));
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T named(Class<T> kind, String name) {
        return all(kind).stream()
                .filter(resource -> resource.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(source + " has no " + kind.getSimpleName() + " " + name));
    }

    private static HasMetadata toResource(String source, Object document) {
        if (!(document instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException(source + ": a manifest must be a mapping, got " + document);
        }
        Object kind = fields.get("kind");
        Class<? extends HasMetadata> type = KINDS.get(String.valueOf(kind));
        if (type == null) {
            throw new IllegalArgumentException(source + ": unexpected kind " + kind + " (Aviary ships " + KINDS.keySet() + ")");
        }
        String expectedApiVersion = HasMetadata.getApiVersion(type);
        if (!expectedApiVersion.equals(fields.get("apiVersion"))) {
            throw new IllegalArgumentException(source + ": " + kind + " must use apiVersion " + expectedApiVersion
                    + ", not " + fields.get("apiVersion"));
        }
        try {
            return STRICT.convertValue(document, type);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + kind + " " + fields.get("metadata") + " is not valid: "
                    + e.getMessage(), e);
        }
    }
}
