package io.aviary.jdbctest;

import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** A fresh in-memory H2 database migrated by Flyway, as the standalone app runs it, for JDBC store tests. */
public final class MigratedDatabase {

    private MigratedDatabase() {
    }

    public static DataSource create() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:store-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }
}
