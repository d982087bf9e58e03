package io.aviary.roster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rosters in the tables of {@code db/migration/V2__roster.sql}. An update locks the account's
 * {@code roster_versions} row for the length of its transaction, which makes it atomic per account.
 */
public final class JdbcRosterStore implements RosterStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public JdbcRosterStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public Roster roster(String account) {
        return tx.execute(status -> new Roster(version(account).orElse(0L), items(account, null)));
    }

    @Override
    public Optional<RosterItem> item(String account, String contact) {
        return items(account, contact).stream().findFirst();
    }

    @Override
    public Update update(String account, String contact, UnaryOperator<Optional<RosterItem>> change, int maxItems) {
        try {
            return tx.execute(status -> locked(account, contact, change, maxItems));
        } catch (DuplicateKeyException e) {
            // Another transaction created the version row first; ours rolled back, so run again on it.
            return tx.execute(status -> locked(account, contact, change, maxItems));
        }
    }

    private Update locked(String account, String contact, UnaryOperator<Optional<RosterItem>> change, int maxItems) {
        Optional<Long> locked = jdbc.sql("SELECT version FROM roster_versions WHERE username = ? FOR UPDATE")
                .param(account).query(Long.class).optional();
        long version = locked.orElse(0L);
        Optional<RosterItem> before = item(account, contact);
        Optional<RosterItem> after = change.apply(before);
        if (before.isEmpty() && after.isPresent() && count(account) >= maxItems) {
            return new Update(before, before, version, true);
        }
        if (before.equals(after)) {
            return new Update(before, after, version, false);
        }
        jdbc.sql("DELETE FROM roster_items WHERE username = ? AND contact = ?").params(account, contact).update();
        after.ifPresent(item -> insert(account, item));
        if (after.filter(item -> item.state().pendingIn()).isEmpty()) {
            jdbc.sql("DELETE FROM subscription_requests WHERE username = ? AND contact = ?").params(account, contact).update();
        }
        version++;
        if (locked.isPresent()) {
            jdbc.sql("UPDATE roster_versions SET version = ? WHERE username = ?").params(version, account).update();
        } else {
            jdbc.sql("INSERT INTO roster_versions (username, version) VALUES (?, ?)").params(account, version).update();
        }
        return new Update(before, after, version, false);
    }

    @Override
    public void keepRequest(String account, String contact, String stanza) {
        tx.executeWithoutResult(status -> {
            int updated = jdbc.sql("UPDATE subscription_requests SET stanza = ? WHERE username = ? AND contact = ?")
                    .params(stanza, account, contact).update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO subscription_requests (username, contact, stanza) VALUES (?, ?, ?)")
                        .params(account, contact, stanza).update();
            }
        });
    }

    @Override
    public Optional<String> request(String account, String contact) {
        return jdbc.sql("SELECT stanza FROM subscription_requests WHERE username = ? AND contact = ?")
                .params(account, contact).query(String.class).optional();
    }

    @Override
    public void deleteAll(String account) {
        tx.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM subscription_requests WHERE username = ?").param(account).update();
            jdbc.sql("DELETE FROM roster_items WHERE username = ?").param(account).update();
            jdbc.sql("DELETE FROM roster_versions WHERE username = ?").param(account).update();
        });
    }

    private Optional<Long> version(String account) {
        return jdbc.sql("SELECT version FROM roster_versions WHERE username = ?").param(account).query(Long.class).optional();
    }

    private int count(String account) {
        return jdbc.sql("SELECT COUNT(*) FROM roster_items WHERE username = ?").param(account).query(Integer.class).single();
    }

    /** The account's items, or only the one for {@code contact} when it is not null. */
    private List<RosterItem> items(String account, String contact) {
        String filter = contact == null ? "" : " AND contact = ?";
        List<Object> params = contact == null ? List.of(account) : List.of(account, contact);
        Map<String, List<String>> groups = new HashMap<>();
        jdbc.sql("SELECT contact, group_name FROM roster_groups WHERE username = ?" + filter + " ORDER BY contact, position")
                .params(params)
                .query(rs -> {
                    groups.computeIfAbsent(rs.getString("contact"), c -> new ArrayList<>()).add(rs.getString("group_name"));
                });
        return jdbc.sql("""
                        SELECT contact, name, subscription, pending_out, pending_in, pre_approved, listed
                        FROM roster_items WHERE username = ?""" + filter + " ORDER BY contact")
                .params(params)
                .query((rs, row) -> new RosterItem(rs.getString("contact"), rs.getString("name"),
                        groups.getOrDefault(rs.getString("contact"), List.of()),
                        new SubscriptionState(
                                SubscriptionState.Subscription.valueOf(rs.getString("subscription").toUpperCase(Locale.ROOT)),
                                rs.getBoolean("pending_out"), rs.getBoolean("pending_in"), rs.getBoolean("pre_approved")),
                        rs.getBoolean("listed")))
                .list();
    }

    private void insert(String account, RosterItem item) {
        SubscriptionState state = item.state();
        jdbc.sql("""
                        INSERT INTO roster_items (username, contact, name, subscription, pending_out, pending_in, pre_approved, listed)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(account, item.contact(), item.name(), state.subscription().value(), state.pendingOut(),
                        state.pendingIn(), state.preApproved(), item.listed())
                .update();
        for (int i = 0; i < item.groups().size(); i++) {
            jdbc.sql("INSERT INTO roster_groups (username, contact, position, group_name) VALUES (?, ?, ?, ?)")
                    .params(account, item.contact(), i, item.groups().get(i))
                    .update();
        }
    }
}
