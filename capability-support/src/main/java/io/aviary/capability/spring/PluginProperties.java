package io.aviary.capability.spring;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Plugins ({@code aviary.plugins.*}).
 *
 * @param dir     the plugins directory; unset: {@code plugins} next to the data directory ({@code ./plugins})
 * @param onError what a jar that cannot be loaded does: {@code fail} stops the start (default), {@code skip} logs a
 *                warning and starts without it
 */
@ConfigurationProperties("aviary.plugins")
public record PluginProperties(Path dir, @DefaultValue("fail") OnError onError) {

    /** What a broken plugin jar does to the start. */
    public enum OnError { FAIL, SKIP }

    Path directory(Path dataDir) {
        return dir != null ? dir : dataDir.toAbsolutePath().normalize().resolveSibling("plugins");
    }
}
