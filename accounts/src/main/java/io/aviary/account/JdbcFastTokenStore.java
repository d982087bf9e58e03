package io.aviary.account;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * FAST tokens in the {@code fast_tokens} table of {@code db/migration/V17__fast_tokens.sql}: the embedded database
 * of the standalone app and PostgreSQL in a cluster, where every gateway sees the same tokens.
 */
public final class JdbcFastTokenStore implements FastTokenStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public JdbcFastTokenStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public List<FastToken> tokens(String username, String client) {
        return jdbc.sql("""
                        SELECT slot, mechanism, token_hash, issued_at, expires_at, last_count FROM fast_tokens
                        WHERE username = ? AND client = ? ORDER BY slot DESC""")
                .params(username, client)
                .query((rs, row) -> new FastToken(username, client, slot(rs.getString("slot")), rs.getString("mechanism"),
                        rs.getBytes("token_hash"), Instant.ofEpochMilli(rs.getLong("issued_at")),
                        Instant.ofEpochMilli(rs.getLong("expires_at")), rs.getLong("last_count")))
                .list();
    }

    @Override
    public void issue(FastToken token, int maxClients, Instant now) {
        try {
            tx.executeWithoutResult(status -> {
                jdbc.sql("DELETE FROM fast_tokens WHERE username = ? AND expires_at <= ?")
                        .params(token.username(), now.toEpochMilli()).update();
                jdbc.sql("DELETE FROM fast_tokens WHERE username = ? AND client = ? AND slot = ?")
                        .params(token.username(), token.client(), name(token.slot())).update();
                jdbc.sql("""
                                INSERT INTO fast_tokens
                                (username, client, slot, mechanism, token_hash, issued_at, expires_at, last_count)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                        .params(token.username(), token.client(), name(token.slot()), token.mechanism(), token.hash(),
                                token.issued().toEpochMilli(), token.expires().toEpochMilli(), token.lastCount())
                        .update();
                List<String> beyond = jdbc.sql("""
                                SELECT client FROM fast_tokens WHERE username = ?
                                GROUP BY client ORDER BY MAX(issued_at) DESC, client""")
                        .param(token.username()).query(String.class).list();
                for (String client : beyond.subList(Math.min(maxClients, beyond.size()), beyond.size())) {
                    jdbc.sql("DELETE FROM fast_tokens WHERE username = ? AND client = ?")
                            .params(token.username(), client).update();
                }
            });
        } catch (DataIntegrityViolationException e) {
            // The account was removed meanwhile (the foreign key): its tokens are gone, as they should be.
        }
    }

    @Override
    public boolean used(FastToken token, long count) {
        Boolean done = tx.execute(status -> {
            // The row as it was read, and a counter above the last one: a concurrent use or a replay changes nothing.
            int updated = jdbc.sql("""
                            UPDATE fast_tokens SET last_count = ?
                            WHERE username = ? AND client = ? AND slot = ? AND token_hash = ? AND (? < 0 OR last_count < ?)""")
                    .params(count < 0 ? token.lastCount() : count, token.username(), token.client(), name(token.slot()),
                            token.hash(), count, count)
                    .update();
            if (updated == 0) {
                return false;
            }
            if (token.slot() == FastToken.Slot.NEW) {
                jdbc.sql("DELETE FROM fast_tokens WHERE username = ? AND client = ? AND slot = ?")
                        .params(token.username(), token.client(), name(FastToken.Slot.CURRENT)).update();
                jdbc.sql("UPDATE fast_tokens SET slot = ? WHERE username = ? AND client = ? AND slot = ?")
                        .params(name(FastToken.Slot.CURRENT), token.username(), token.client(),
                                name(FastToken.Slot.NEW)).update();
            }
            return true;
        });
        return Boolean.TRUE.equals(done);
    }

    @Override
    public void revoke(FastToken token) {
        jdbc.sql("DELETE FROM fast_tokens WHERE username = ? AND client = ? AND slot = ? AND token_hash = ?")
                .params(token.username(), token.client(), name(token.slot()), token.hash()).update();
    }

    @Override
    public void revokeAll(String username) {
        jdbc.sql("DELETE FROM fast_tokens WHERE username = ?").param(username).update();
    }

    private static String name(FastToken.Slot slot) {
        return slot.name().toLowerCase(Locale.ROOT);
    }

    private static FastToken.Slot slot(String name) {
        return FastToken.Slot.valueOf(name.toUpperCase(Locale.ROOT));
    }
}
