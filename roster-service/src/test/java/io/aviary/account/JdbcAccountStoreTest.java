package io.aviary.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.xmpp.sasl.ScramAlgorithm;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The account store contract on an H2 in-memory database migrated by Flyway, as the standalone app runs it. */
class JdbcAccountStoreTest extends AccountStoreContract {

    private JdbcDataSource dataSource;

    @Override
    protected AccountStore newStore() {
        dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:accounts-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcAccountStore(dataSource);
    }

    @Test
    void credentialsGoWithTheAccountRow() {
        store.create("juliet", credentials("R0m30"));
        JdbcClient jdbc = JdbcClient.create(dataSource);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM scram_credentials WHERE username = 'juliet'")
                .query(Integer.class).single()).isEqualTo(ScramAlgorithm.values().length);

        store.delete("juliet");

        assertThat(jdbc.sql("SELECT COUNT(*) FROM scram_credentials").query(Integer.class).single()).isZero();
    }

    @Test
    void accountsRecordWhenTheyWereCreated() {
        store.create("juliet", credentials("R0m30"));
        assertThat(JdbcClient.create(dataSource).sql("SELECT created_at FROM accounts WHERE username = 'juliet'")
                .query(java.time.OffsetDateTime.class).single()).isNotNull();
    }
}
