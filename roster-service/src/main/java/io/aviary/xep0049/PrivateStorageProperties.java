package io.aviary.xep0049;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0049 settings, under {@code aviary.private-storage}.
 *
 * @param maxBytes {@code aviary.private-storage.max-bytes}: largest element accepted, in bytes of
 *     its serialized XML (default 65536); larger ones get {@code not-acceptable}
 * @param maxTotalBytes {@code aviary.private-storage.max-total-bytes}: what one account may store in all,
 *     in bytes of serialized XML (default 1048576); a set that would pass it gets {@code not-acceptable}
 * @param maxElements {@code aviary.private-storage.max-elements}: how many elements (distinct name and
 *     namespace) one account may store (default 100); a set that would pass it gets {@code not-acceptable}
 */
@ConfigurationProperties(prefix = "aviary.private-storage")
public record PrivateStorageProperties(@DefaultValue("65536") int maxBytes,
                                       @DefaultValue("1048576") long maxTotalBytes,
                                       @DefaultValue("100") int maxElements) {
}
