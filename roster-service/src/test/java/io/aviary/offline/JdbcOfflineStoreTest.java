package io.aviary.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.jdbctest.MigratedDatabase;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The offline store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcOfflineStoreTest extends OfflineStoreContract {

    private DataSource dataSource;

    @Override
    protected OfflineStore newStore() {
        dataSource = database();
        return new JdbcOfflineStore(dataSource);
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }

    @Test
    void aRowThatDoesNotParseIsDroppedAndTheOthersAreStillDelivered() {
        store.store("juliet", message("before"), 10);
        // U+0001 is no XML 1.0 Char: a row no parser accepts, however it got there.
        JdbcClient.create(dataSource).sql("INSERT INTO offline_messages (username, stanza) VALUES (?, ?)")
                .params("juliet", "<message xmlns='jabber:client'><body>\u0001</body></message>").update();
        store.store("juliet", message("after"), 10);

        assertThat(store.take("juliet")).containsExactly(message("before"), message("after"));
        assertThat(JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM offline_messages").query(Integer.class).single())
                .isZero();
    }
}
