package io.aviary.archive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The message archives, under {@code aviary.archive}.
 *
 * @param retention   what {@link ArchiveRetention} removes, and how often
 * @param databaseUrl {@code aviary.archive.database-url}: a JDBC URL of a database of the archives' own; unset (the
 *                    default): the application's ({@code spring.datasource}); the standalone app sets an embedded file
 */
@ConfigurationProperties("aviary.archive")
public record ArchiveProperties(@DefaultValue Retention retention, String databaseUrl) {

    /**
     * @param maxAge             {@code aviary.archive.retention.max-age}: messages older than this go; unset (the
     *                           default): kept forever
     * @param maxMessagesPerUser {@code aviary.archive.retention.max-messages-per-user}: each archive keeps its newest
     *                           this many; 0 (the default): no limit
     * @param interval           {@code aviary.archive.retention.interval}: time between two runs (default 1 h); each
     *                           run also removes the archives of accounts that no longer exist
     */
    public record Retention(Duration maxAge, @DefaultValue("0") int maxMessagesPerUser,
                            @DefaultValue("1h") Duration interval) {

        public Retention {
            if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
                throw new IllegalArgumentException("aviary.archive.retention.max-age must be positive: " + maxAge);
            }
            if (maxMessagesPerUser < 0) {
                throw new IllegalArgumentException(
                        "aviary.archive.retention.max-messages-per-user must not be negative: " + maxMessagesPerUser);
            }
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("aviary.archive.retention.interval must be positive: " + interval);
            }
        }
    }
}
