package io.aviary.xep0092;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0092 settings, under {@code aviary.software-version}.
 *
 * @param version {@code aviary.software-version.version}: the version the server reports; empty
 *     (the default) means the Implementation-Version of the roster-service jar's manifest, or
 *     "unknown" when the classes do not come from a jar with one
 * @param showOs  {@code aviary.software-version.show-os}: also report the operating system name
 *     and version (default false: XEP-0092 §5 notes it helps attackers)
 */
@ConfigurationProperties(prefix = "aviary.software-version")
public record VersionProperties(@DefaultValue("") String version, @DefaultValue("false") boolean showOs) {

    /** The configured version, else the manifest's, else "unknown". */
    public String effectiveVersion() {
        if (!version.isBlank()) {
            return version;
        }
        String manifest = VersionProperties.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : "unknown";
    }

    /** {@code os.name os.version} when {@link #showOs()}, else null. */
    public String os() {
        return showOs ? System.getProperty("os.name") + " " + System.getProperty("os.version") : null;
    }
}
