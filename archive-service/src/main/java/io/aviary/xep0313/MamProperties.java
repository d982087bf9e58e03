package io.aviary.xep0313;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * XEP-0313 query settings, under {@code aviary.archive}.
 *
 * @param maxPage {@code aviary.archive.max-page}: the most messages one query page returns (default 100); a client's
 *                larger RSM {@code <max/>} is cut to it and the fin says the page is not complete
 * @param writeBehind {@code aviary.archive.write-behind}: records are written in batches behind the bus, one
 *                transaction each (default true); on Kafka each record's offset is committed only once its batch is
 *                written. False writes each record in its own transaction before the bus hands over the next
 * @param writeQueue {@code aviary.archive.write-queue}: records that may wait for the write-behind (default 20,000);
 *                beyond, the bus waits
 */
@ConfigurationProperties(prefix = "aviary.archive")
public record MamProperties(@DefaultValue("100") int maxPage, @DefaultValue("true") boolean writeBehind,
                            @DefaultValue("20000") int writeQueue) {

    public MamProperties {
        if (maxPage < 1) {
            throw new IllegalArgumentException("aviary.archive.max-page must be at least 1");
        }
        if (writeQueue < 1) {
            throw new IllegalArgumentException("aviary.archive.write-queue must be at least 1");
        }
    }
}
