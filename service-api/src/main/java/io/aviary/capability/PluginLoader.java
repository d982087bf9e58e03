package io.aviary.capability;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads plugins: every {@code *.jar} of a directory, each in a class loader of its own whose parent is the
 * server's, and the {@link Capability} implementations its {@code META-INF/services/io.aviary.capability.Capability}
 * names. A jar that cannot be read or declares no capability stops the start with a message naming the jar, or is
 * skipped with a warning when the operator chose so.
 */
public final class PluginLoader {

    private static final Logger log = LoggerFactory.getLogger(PluginLoader.class);
    static final String SERVICE_FILE = "META-INF/services/" + Capability.class.getName();

    /** A loaded plugin jar and its capabilities. */
    public record Plugin(Path jar, List<Capability> capabilities) {
    }

    /** A plugin jar that could not be loaded; the message names it and says why. */
    public static final class PluginLoadException extends RuntimeException {
        PluginLoadException(Path jar, String reason, Throwable cause) {
            super("plugin " + jar + " cannot be loaded: " + reason, cause);
        }
    }

    private PluginLoader() {
    }

    /**
     * @param directory  the plugins directory; missing means no plugins
     * @param skipBroken skip a jar that fails (with a warning) instead of throwing
     */
    public static List<Plugin> load(Path directory, ClassLoader parent, boolean skipBroken) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> jars;
        try (Stream<Path> files = Files.list(directory)) {
            jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the plugins directory " + directory, e);
        }
        List<Plugin> plugins = new ArrayList<>();
        for (Path jar : jars) {
            try {
                plugins.add(loadJar(jar, parent));
                log.info("plugin {} loaded: {}", jar.getFileName(), plugins.get(plugins.size() - 1).capabilities()
                        .stream().map(c -> c.declaration().name()).toList());
            } catch (PluginLoadException e) {
                if (!skipBroken) {
                    throw e;
                }
                log.warn("{}; skipped (aviary.plugins.on-error=skip)", e.getMessage(), e.getCause());
            }
        }
        return plugins;
    }

    private static Plugin loadJar(Path jar, ClassLoader parent) {
        try (JarFile file = new JarFile(jar.toFile())) {
            if (file.getEntry(SERVICE_FILE) == null) {
                throw new PluginLoadException(jar, "it has no " + SERVICE_FILE + " naming its capabilities", null);
            }
        } catch (IOException e) {
            throw new PluginLoadException(jar, "it is not a readable jar (" + e.getMessage() + ")", e);
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("plugin " + jar.getFileName(), new URL[] {jar.toUri().toURL()}, parent);
        } catch (MalformedURLException e) {
            throw new PluginLoadException(jar, e.getMessage(), e);
        }
        try {
            // Only the jar's own providers: the parent's service files are the server's business.
            List<Capability> capabilities = ServiceLoader.load(Capability.class, loader).stream()
                    .filter(p -> p.type().getClassLoader() == loader).map(ServiceLoader.Provider::get)
                    .map(Capability.class::cast).toList();
            if (capabilities.isEmpty()) {
                throw new PluginLoadException(jar, SERVICE_FILE + " names no capability of this jar", null);
            }
            capabilities.forEach(Capability::declaration);
            return new Plugin(jar, capabilities);
        } catch (ServiceConfigurationError | LinkageError | RuntimeException e) {
            if (e instanceof PluginLoadException known) {
                throw known;
            }
            throw new PluginLoadException(jar, e.toString(), e);
        }
    }
}
