package io.aviary.xep0054;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0054 settings, under {@code aviary.vcard}.
 *
 * @param maxBytes {@code aviary.vcard.max-bytes}: largest vCard accepted, in bytes of its
 *     serialized XML (default 65536, room for a small embedded avatar photo); larger ones get
 *     {@code not-acceptable}
 */
@ConfigurationProperties(prefix = "aviary.vcard")
public record VCardProperties(@DefaultValue("65536") int maxBytes) {
}
