package io.aviary.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML as the tools read it: plain data only, anchors and merge keys resolved, duplicate keys refused. */
final class YamlDocuments {

    private YamlDocuments() {
    }

    /** Every non-empty document of a multi-document stream. */
    static List<Object> all(String yaml) {
        List<Object> documents = new ArrayList<>();
        parser().loadAll(yaml).forEach(document -> {
            if (document != null) {
                documents.add(document);
            }
        });
        return documents;
    }

    static List<Object> all(Path file) {
        return all(read(file));
    }

    static Object single(Path file) {
        return Objects.requireNonNull(parser().load(read(file)), () -> file + " is empty");
    }

    private static Yaml parser() {
        LoaderOptions options = new LoaderOptions();
        // A repeated key silently wins in most tools: in a manifest it is always a mistake.
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
