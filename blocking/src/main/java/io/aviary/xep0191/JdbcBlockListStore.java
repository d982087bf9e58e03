package io.aviary.xep0191;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Block lists in the {@code blocked_jids} table of {@code db/migration/V12__blocking.sql}. */
public final class JdbcBlockListStore implements BlockListStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public JdbcBlockListStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public Set<String> blocked(String username) {
        return Set.copyOf(new TreeSet<>(jdbc.sql("SELECT jid FROM blocked_jids WHERE username = ?")
                .param(username).query(String.class).list()));
    }

    @Override
    public void block(String username, Collection<String> jids) {
        tx.executeWithoutResult(status -> {
            // Requests of one account arrive in order (one bus key), so check-then-insert is safe.
            Set<String> present = blocked(username);
            for (String jid : Set.copyOf(jids)) {
                if (!present.contains(jid)) {
                    jdbc.sql("INSERT INTO blocked_jids (username, jid) VALUES (?, ?)").params(username, jid).update();
                }
            }
        });
    }

    @Override
    public void unblock(String username, Collection<String> jids) {
        tx.executeWithoutResult(status -> {
            for (String jid : Set.copyOf(jids)) {
                jdbc.sql("DELETE FROM blocked_jids WHERE username = ? AND jid = ?").params(username, jid).update();
            }
        });
    }

    @Override
    public void clear(String username) {
        jdbc.sql("DELETE FROM blocked_jids WHERE username = ?").param(username).update();
    }
}
