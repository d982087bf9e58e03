package io.aviary.xep0115;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0115 settings, under {@code aviary.caps}.
 *
 * @param node {@code aviary.caps.node}: the {@code node} of the server's caps, "a URI that
 *     uniquely identifies a software application" (§4); default {@code urn:aviary:server}
 */
@ConfigurationProperties(prefix = "aviary.caps")
public record CapsProperties(@DefaultValue("urn:aviary:server") String node) {
}
