package io.aviary.gateway.limits;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The per-connection traffic shaper ({@code aviary.gateway.shaper.*}): token buckets of bytes and of first-level
 * elements, stricter until SASL success. A connection over its rate is not read from until its buckets refill; it is
 * not disconnected. A rate of 0 switches that limit off. Why these defaults: README's configuration table.
 *
 * @param unauthenticatedBytesPerSecond   bytes a second before SASL success (default 10KB, Prosody's c2s rate)
 * @param unauthenticatedBytesBurst       bytes read at once before SASL success (default 64KB: four of the largest
 *                                        elements allowed before authentication)
 * @param unauthenticatedStanzasPerSecond elements a second before SASL success (default 10)
 * @param unauthenticatedStanzasBurst     elements read at once before SASL success (default 50)
 * @param authenticatedBytesPerSecond     bytes a second after SASL success (default 1MB)
 * @param authenticatedBytesBurst         bytes read at once after SASL success (default 1MB)
 * @param authenticatedStanzasPerSecond   stanzas a second after SASL success (default 500)
 * @param authenticatedStanzasBurst       stanzas read at once after SASL success (default 1000)
 */
public record ShaperProperties(
        @DefaultValue("10KB") DataSize unauthenticatedBytesPerSecond,
        @DefaultValue("64KB") DataSize unauthenticatedBytesBurst,
        @DefaultValue("10") int unauthenticatedStanzasPerSecond,
        @DefaultValue("50") int unauthenticatedStanzasBurst,
        @DefaultValue("1MB") DataSize authenticatedBytesPerSecond,
        @DefaultValue("1MB") DataSize authenticatedBytesBurst,
        @DefaultValue("500") int authenticatedStanzasPerSecond,
        @DefaultValue("1000") int authenticatedStanzasBurst) {
}
