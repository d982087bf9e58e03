package io.aviary.account;

import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts in the {@code accounts} and {@code scram_credentials} tables of
 * {@code db/migration/V1__accounts.sql}. Plain SQL that runs on PostgreSQL and H2.
 *
 * <p>Constraint violations are caught outside the transaction, after it has rolled back:
 * PostgreSQL refuses to commit a transaction in which a statement failed.
 */
public final class JdbcAccountStore implements AccountStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public JdbcAccountStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public boolean exists(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM accounts WHERE username = ?")
                .param(username).query(Integer.class).single() > 0;
    }

    @Override
    public boolean create(String username, List<ScramCredentials> credentials) {
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("INSERT INTO accounts (username) VALUES (?)").param(username).update();
                insertCredentials(username, credentials);
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    @Override
    public boolean setCredentials(String username, List<ScramCredentials> credentials) {
        try {
            Boolean replaced = tx.execute(status -> {
                // Locks the account row, so a concurrent delete waits for us.
                boolean found = !jdbc.sql("SELECT username FROM accounts WHERE username = ? FOR UPDATE")
                        .param(username).query(String.class).list().isEmpty();
                if (!found) {
                    return false;
                }
                jdbc.sql("DELETE FROM scram_credentials WHERE username = ?").param(username).update();
                insertCredentials(username, credentials);
                return true;
            });
            return Boolean.TRUE.equals(replaced);
        } catch (DataIntegrityViolationException e) {
            return false; // the account went away between our statements
        }
    }

    @Override
    public boolean delete(String username, Instant removedAt) {
        Boolean deleted = tx.execute(status -> {
            // scram_credentials rows go with it: ON DELETE CASCADE.
            if (jdbc.sql("DELETE FROM accounts WHERE username = ?").param(username).update() == 0) {
                return false;
            }
            // The row lock on the account keeps a concurrent delete of the same name out until this commits.
            jdbc.sql("DELETE FROM account_tombstones WHERE username = ?").param(username).update();
            jdbc.sql("INSERT INTO account_tombstones (username, removed_at) VALUES (?, ?)")
                    .params(username, removedAt.toEpochMilli()).update();
            return true;
        });
        return Boolean.TRUE.equals(deleted);
    }

    @Override
    public Optional<Instant> removedAt(String username) {
        return jdbc.sql("SELECT removed_at FROM account_tombstones WHERE username = ?").param(username)
                .query(Long.class).optional().map(Instant::ofEpochMilli);
    }

    @Override
    public List<String> usernames() {
        return jdbc.sql("SELECT username FROM accounts ORDER BY username").query(String.class).list();
    }

    @Override
    public boolean setLocked(String username, boolean locked) {
        return jdbc.sql("UPDATE accounts SET locked = ? WHERE username = ?").params(locked, username).update() > 0;
    }

    @Override
    public boolean requestRemoval(String username) {
        try {
            Boolean found = tx.execute(status -> {
                if (jdbc.sql("UPDATE accounts SET locked = TRUE WHERE username = ?").param(username).update() == 0) {
                    return false;
                }
                if (jdbc.sql("SELECT COUNT(*) FROM account_removals WHERE username = ?").param(username)
                        .query(Integer.class).single() == 0) {
                    jdbc.sql("INSERT INTO account_removals (username, requested_at) VALUES (?, CURRENT_TIMESTAMP)")
                            .param(username).update();
                }
                return true;
            });
            return Boolean.TRUE.equals(found);
        } catch (DuplicateKeyException e) {
            return true; // requested at the same moment by someone else
        }
    }

    @Override
    public List<String> removalRequests() {
        return jdbc.sql("SELECT username FROM account_removals ORDER BY requested_at, username").query(String.class)
                .list();
    }

    @Override
    public boolean locked(String username) {
        return jdbc.sql("SELECT COUNT(*) FROM accounts WHERE username = ? AND locked")
                .param(username).query(Integer.class).single() > 0;
    }

    @Override
    public int count() {
        return jdbc.sql("SELECT COUNT(*) FROM accounts").query(Integer.class).single();
    }

    @Override
    public int count(String search) {
        return jdbc.sql("SELECT COUNT(*) FROM accounts WHERE username LIKE ? ESCAPE '\\'").param(containing(search))
                .query(Integer.class).single();
    }

    @Override
    public List<String> usernames(String search, int offset, int limit) {
        return jdbc.sql("SELECT username FROM accounts WHERE username LIKE ? ESCAPE '\\' ORDER BY username "
                        + "OFFSET ? ROWS FETCH NEXT ? ROWS ONLY")
                .params(containing(search), offset, limit).query(String.class).list();
    }

    /** A LIKE pattern for names containing {@code search}, its own wildcards escaped, so "a_b" finds only "a_b". */
    private static String containing(String search) {
        return "%" + (search == null ? "" : search.replace("\\", "\\\\").replace("%", "\\%")
                .replace("_", "\\_")) + "%";
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramAlgorithm algorithm) {
        return jdbc.sql("""
                        SELECT c.salt, c.iterations, c.stored_key, c.server_key
                        FROM scram_credentials c JOIN accounts a ON a.username = c.username
                        WHERE c.username = ? AND c.algorithm = ? AND NOT a.locked""")
                .params(username, algorithm.name())
                .query((rs, row) -> new ScramCredentials(algorithm, rs.getBytes("salt"), rs.getInt("iterations"),
                        rs.getBytes("stored_key"), rs.getBytes("server_key")))
                .optional();
    }

    /** One row per algorithm; if the list names one twice, the last wins, as in the in-memory store. */
    private void insertCredentials(String username, List<ScramCredentials> credentials) {
        Map<ScramAlgorithm, ScramCredentials> byAlgorithm = new EnumMap<>(ScramAlgorithm.class);
        credentials.forEach(c -> byAlgorithm.put(c.algorithm(), c));
        for (ScramCredentials c : byAlgorithm.values()) {
            jdbc.sql("""
                            INSERT INTO scram_credentials (username, algorithm, salt, iterations, stored_key, server_key)
                            VALUES (?, ?, ?, ?, ?, ?)""")
                    .params(username, c.algorithm().name(), c.salt(), c.iterations(), c.storedKey(), c.serverKey())
                    .update();
        }
    }
}
