package io.aviary.jdbctest;

import static org.junit.jupiter.api.Assumptions.abort;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A fresh database of its own on the JVM's one embedded PostgreSQL ({@link PostgresServer}), for the
 * JDBC store tests here and the cluster tests of other modules (through roster-service's test-jar).
 * When the server cannot start, the calling test is skipped with the reason.
 *
 * @param name       the database name, unique in the JVM
 * @param jdbcUrl    {@code jdbc:postgresql://127.0.0.1:<port>/<name>}
 * @param username   a superuser of the server
 * @param password   its password (random per JVM)
 * @param dataSource an unpooled data source on this database
 */
public record PostgresDatabase(String name, String jdbcUrl, String username, String password, DataSource dataSource) {

    /** A new, empty database. */
    public static PostgresDatabase create() {
        PostgresServer server;
        try {
            server = PostgresServer.get();
        } catch (IllegalStateException e) {
            server = abort("embedded PostgreSQL is not available, so this test is skipped: " + e.getMessage());
        }
        String name = "aviary_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = server.dataSource("postgres").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name, e);
        }
        return new PostgresDatabase(name, server.jdbcUrl(name), PostgresServer.SUPERUSER, server.password(),
                server.dataSource(name));
    }

    /**
     * A new database migrated by Flyway as the roster service's Spring Boot configuration migrates it
     * at start-up: from {@code classpath:db/migration} and PostgreSQL's {@code classpath:db/vendor/postgresql}.
     */
    public static PostgresDatabase migrated() {
        PostgresDatabase database = create();
        Flyway.configure().dataSource(database.dataSource())
                .locations("classpath:db/migration", "classpath:db/vendor/postgresql").load().migrate();
        return database;
    }

    /** {@code spring.datasource.*} properties on this database, for a test application context. */
    public String[] springProperties() {
        return new String[] {
                "spring.datasource.url=" + jdbcUrl,
                "spring.datasource.username=" + username,
                "spring.datasource.password=" + password};
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + jdbcUrl + "]"; // without the password
    }
}
