package io.aviary.xep0060;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Migrates the publish-subscribe tables ({@code classpath:db/pubsub}) with a Flyway of its own, history in
 * {@code pubsub_schema_history}, like the archive's: the database may be shared with other services' Flyways.
 */
public final class PubsubSchema {

    private PubsubSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .table("pubsub_schema_history")
                .locations("classpath:db/pubsub")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
