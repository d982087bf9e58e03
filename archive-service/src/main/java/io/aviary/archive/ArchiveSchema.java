package io.aviary.archive;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Migrates the archive's tables ({@code classpath:db/archive}) with a Flyway of its own, history in
 * {@code archive_schema_history}: the archive service may share its database with the roster service (whose Flyway
 * runs {@code db/migration}) or with the whole standalone app, so it neither runs nor replaces theirs. A database that
 * already has other tables is baselined at version 0, so every archive migration still runs on it.
 */
public final class ArchiveSchema {

    private ArchiveSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .table("archive_schema_history")
                .locations("classpath:db/archive")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
