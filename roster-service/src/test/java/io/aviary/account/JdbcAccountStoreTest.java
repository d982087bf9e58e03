package io.aviary.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.jdbctest.MigratedDatabase;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The account store contract on an H2 in-memory database migrated by Flyway, as the standalone app runs it. */
class JdbcAccountStoreTest extends AccountStoreContract {

    private DataSource dataSource;

    @Override
    protected AccountStore newStore() {
        dataSource = database();
        return new JdbcAccountStore(dataSource);
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }

    @Test
    void credentialsGoWithTheAccountRow() {
        store.create("juliet", credentials("R0m30"));
        JdbcClient jdbc = JdbcClient.create(dataSource);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM scram_credentials WHERE username = 'juliet'")
                .query(Integer.class).single()).isEqualTo(ScramAlgorithm.values().length);

        store.delete("juliet", REMOVED);

        assertThat(jdbc.sql("SELECT COUNT(*) FROM scram_credentials").query(Integer.class).single()).isZero();
    }

    @Test
    void accountsRecordWhenTheyWereCreated() {
        store.create("juliet", credentials("R0m30"));
        assertThat(JdbcClient.create(dataSource).sql("SELECT created_at FROM accounts WHERE username = 'juliet'")
                .query(java.time.OffsetDateTime.class).single()).isNotNull();
    }
}
