package io.aviary.archive;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The message archives, under {@code aviary.archive}.
 *
 * @param retention   what {@link ArchiveRetention} removes, and how often
 * @param databaseUrl {@code aviary.archive.database-url}: a JDBC URL of a database of the archives' own (the messages
 *                    when {@code store} is {@code jdbc}, and the push registrations); unset (the default): the
 *                    application's ({@code spring.datasource}); the standalone app sets an embedded file
 * @param store       {@code aviary.archive.store}: where the messages live: {@code jdbc} (the default: the database
 *                    above, PostgreSQL in a cluster) or {@code rocksdb} (an embedded RocksDB in {@code directory}: what
 *                    the standalone app sets, as its embedded SQL database cannot keep up with chat rates)
 * @param directory   {@code aviary.archive.directory}: the RocksDB files of {@code store=rocksdb}; the standalone app
 *                    sets {@code ${aviary.data-dir}/archive-messages}
 */
@ConfigurationProperties("aviary.archive")
public record ArchiveProperties(@DefaultValue Retention retention, String databaseUrl,
                                @DefaultValue("jdbc") Store store, Path directory) {

    /** Where the messages live. */
    public enum Store { JDBC, ROCKSDB }

    public ArchiveProperties {
        if (store == Store.ROCKSDB && directory == null) {
            throw new IllegalArgumentException("aviary.archive.store=rocksdb needs aviary.archive.directory");
        }
    }

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
