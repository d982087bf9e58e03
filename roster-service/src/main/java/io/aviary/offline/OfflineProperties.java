package io.aviary.offline;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Offline storage, under {@code aviary.offline}.
 *
 * @param maxMessages {@code aviary.offline.max-messages}: messages kept per account (default 100);
 *                    when full, a sender gets a {@code resource-constraint} error (type wait)
 */
@ConfigurationProperties(prefix = "aviary.offline")
public record OfflineProperties(@DefaultValue("100") int maxMessages) {

    public OfflineProperties {
        if (maxMessages < 0) {
            throw new IllegalArgumentException("aviary.offline.max-messages must not be negative: " + maxMessages);
        }
    }
}
