package io.aviary.gateway.csi;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0352 Client State Indication ({@code aviary.gateway.csi.*}).
 *
 * @param maxHeld stanzas held for an inactive client at most; when one more would be held, everything held is
 *                written at once, as Prosody's mod_csi_simple does (default 256, its {@code csi_queue_size})
 */
public record CsiProperties(@DefaultValue("256") int maxHeld) {
}
