package io.aviary.xep0049;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0049 settings, under {@code aviary.private-storage}.
 *
 * @param maxBytes {@code aviary.private-storage.max-bytes}: largest element accepted, in bytes of
 *     its serialized XML (default 65536); larger ones get {@code not-acceptable}
 */
@ConfigurationProperties(prefix = "aviary.private-storage")
public record PrivateStorageProperties(@DefaultValue("65536") int maxBytes) {
}
