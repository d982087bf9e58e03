package io.aviary.account;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.jdbctest.MigratedDatabase;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The FAST token store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcFastTokenStoreTest extends FastTokenStoreContract {

    private DataSource dataSource;
    private AccountStore accounts;

    @Override
    protected AccountStore newAccountStore() {
        dataSource = database();
        accounts = new JdbcAccountStore(dataSource);
        return accounts;
    }

    @Override
    protected FastTokenStore newStore(AccountStore accounts) {
        return new JdbcFastTokenStore(dataSource);
    }

    /** A fresh migrated database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return MigratedDatabase.create();
    }

    @Test
    void tokensGoWithTheAccountRow() {
        store.issue(new FastToken("alice", "phone", FastToken.Slot.NEW, "HT-SHA-256-NONE", new byte[32],
                Instant.now(), Instant.now().plusSeconds(60), -1), 5, Instant.now());

        accounts.delete("alice", Instant.now());

        assertThat(JdbcClient.create(dataSource).sql("SELECT COUNT(*) FROM fast_tokens").query(Integer.class).single())
                .isZero();
        accounts.create("alice", List.of(ScramCredentials.create(ScramAlgorithm.SHA_256, "pw", 16, new SecureRandom())));
        assertThat(store.tokens("alice", "phone")).isEmpty();
    }
}
