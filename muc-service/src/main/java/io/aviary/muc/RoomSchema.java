package io.aviary.muc;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Migrates the room tables ({@code classpath:db/muc}) with a Flyway of its own, history in {@code muc_schema_history}:
 * the muc service shares its database with the other tiers (PostgreSQL in a cluster) or with the whole standalone
 * app, so it neither runs nor replaces their migrations. A database that already has other tables is baselined at
 * version 0, so every room migration still runs on it.
 */
public final class RoomSchema {

    private RoomSchema() {
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .table("muc_schema_history")
                .locations("classpath:db/muc")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
