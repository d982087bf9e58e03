package io.aviary.xep0060;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Publish-subscribe services on PostgreSQL or H2, in the tables {@link PubsubSchema} migrates. */
public final class JdbcPubsubStore implements PubsubStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public JdbcPubsubStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    private static PubsubNode node(ResultSet row, int rowNum) throws SQLException {
        return new PubsubNode(row.getString("service"), row.getString("node"), row.getString("owner"),
                new NodeConfig(AccessModel.valueOf(row.getString("access_model")), row.getBoolean("persist_items"),
                        row.getInt("max_items"), SendLastPublishedItem.valueOf(row.getString("send_last")),
                        List.of(row.getString("roster_groups").split("\n"))));
    }

    private static PublishedItem item(ResultSet row, int rowNum) throws SQLException {
        return new PublishedItem(row.getString("item_id"), row.getString("publisher"), row.getString("payload"),
                row.getTimestamp("published").toInstant());
    }

    @Override
    public boolean createNode(PubsubNode node) {
        if (node(node.service(), node.node()).isPresent()) {
            return false;
        }
        NodeConfig config = node.config();
        jdbc.sql("INSERT INTO pubsub_nodes (service, node, owner, access_model, persist_items, max_items, send_last, "
                        + "roster_groups) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(node.service(), node.node(), node.owner(), config.accessModel().name(), config.persistItems(),
                        config.maxItems(), config.sendLast().name(), String.join("\n", config.rosterGroups()))
                .update();
        return true;
    }

    @Override
    public Optional<PubsubNode> node(String service, String node) {
        return jdbc.sql("SELECT * FROM pubsub_nodes WHERE service = ? AND node = ?").params(service, node)
                .query(JdbcPubsubStore::node).optional();
    }

    @Override
    public List<PubsubNode> nodes(String service) {
        return jdbc.sql("SELECT * FROM pubsub_nodes WHERE service = ? ORDER BY node").params(service)
                .query(JdbcPubsubStore::node).list();
    }

    @Override
    public void configure(String service, String node, NodeConfig config) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE pubsub_nodes SET access_model = ?, persist_items = ?, max_items = ?, send_last = ?, "
                            + "roster_groups = ? WHERE service = ? AND node = ?")
                    .params(config.accessModel().name(), config.persistItems(), config.maxItems(),
                            config.sendLast().name(), String.join("\n", config.rosterGroups()), service, node)
                    .update();
            trim(service, node, config.maxItems());
        });
    }

    @Override
    public boolean deleteNode(String service, String node) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            for (String table : List.of("pubsub_items", "pubsub_affiliations", "pubsub_subscriptions")) {
                jdbc.sql("DELETE FROM " + table + " WHERE service = ? AND node = ?").params(service, node).update();
            }
            return jdbc.sql("DELETE FROM pubsub_nodes WHERE service = ? AND node = ?").params(service, node)
                    .update() > 0;
        }));
    }

    @Override
    public void publish(String service, String node, PublishedItem item, int maxItems) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM pubsub_items WHERE service = ? AND node = ? AND item_id = ?")
                    .params(service, node, item.id()).update();
            jdbc.sql("INSERT INTO pubsub_items (service, node, item_id, publisher, payload, published) "
                            + "VALUES (?, ?, ?, ?, ?, ?)")
                    .params(service, node, item.id(), item.publisher(), item.payload(),
                            Timestamp.from(item.published()))
                    .update();
            trim(service, node, maxItems);
        });
    }

    /** Keeps the newest {@code maxItems}. */
    private void trim(String service, String node, int maxItems) {
        if (maxItems == NodeConfig.UNLIMITED) {
            return;
        }
        List<Long> keep = jdbc.sql("SELECT seq FROM pubsub_items WHERE service = ? AND node = ? "
                        + "ORDER BY seq DESC LIMIT " + maxItems)
                .params(service, node).query(Long.class).list();
        if (keep.isEmpty()) {
            return;
        }
        jdbc.sql("DELETE FROM pubsub_items WHERE service = ? AND node = ? AND seq < ?")
                .params(service, node, keep.get(keep.size() - 1)).update();
    }

    @Override
    public List<PublishedItem> items(String service, String node, int max) {
        String limit = max < 0 ? "" : " LIMIT " + max;
        return jdbc.sql("SELECT * FROM pubsub_items WHERE service = ? AND node = ? ORDER BY seq DESC" + limit)
                .params(service, node).query(JdbcPubsubStore::item).list();
    }

    @Override
    public List<PublishedItem> items(String service, String node, List<String> ids) {
        List<PublishedItem> found = new ArrayList<>();
        for (String id : ids) {
            jdbc.sql("SELECT * FROM pubsub_items WHERE service = ? AND node = ? AND item_id = ?")
                    .params(service, node, id).query(JdbcPubsubStore::item).optional().ifPresent(found::add);
        }
        return found;
    }

    @Override
    public boolean retract(String service, String node, String itemId) {
        return jdbc.sql("DELETE FROM pubsub_items WHERE service = ? AND node = ? AND item_id = ?")
                .params(service, node, itemId).update() > 0;
    }

    @Override
    public void purge(String service, String node) {
        jdbc.sql("DELETE FROM pubsub_items WHERE service = ? AND node = ?").params(service, node).update();
    }

    @Override
    public void affiliate(String service, String node, String jid, Affiliation affiliation) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM pubsub_affiliations WHERE service = ? AND node = ? AND jid = ?")
                    .params(service, node, jid).update();
            if (affiliation != Affiliation.NONE) {
                jdbc.sql("INSERT INTO pubsub_affiliations (service, node, jid, affiliation) VALUES (?, ?, ?, ?)")
                        .params(service, node, jid, affiliation.name()).update();
            }
        });
    }

    @Override
    public Map<String, Affiliation> affiliations(String service, String node) {
        return affiliations("jid", "node", service, node);
    }

    @Override
    public Map<String, Affiliation> affiliationsOf(String service, String jid) {
        return affiliations("node", "jid", service, jid);
    }

    /** The affiliations at the service whose {@code column} is {@code value}, by {@code key}. */
    private Map<String, Affiliation> affiliations(String key, String column, String service, String value) {
        Map<String, Affiliation> affiliations = new LinkedHashMap<>();
        jdbc.sql("SELECT " + key + ", affiliation FROM pubsub_affiliations WHERE service = ? AND " + column + " = ? "
                        + "ORDER BY " + key)
                .params(service, value)
                .query(row -> {
                    affiliations.put(row.getString(key), Affiliation.valueOf(row.getString("affiliation")));
                });
        return affiliations;
    }

    private static Subscription subscription(ResultSet row, int rowNum) throws SQLException {
        return new Subscription(row.getString("node"), row.getString("jid"),
                SubscriptionState.valueOf(row.getString("state")), row.getBoolean("deliver"));
    }

    @Override
    public void subscribe(String service, Subscription subscription) {
        transactions.executeWithoutResult(status -> {
            unsubscribe(service, subscription.node(), subscription.jid());
            jdbc.sql("INSERT INTO pubsub_subscriptions (service, node, jid, state, deliver) VALUES (?, ?, ?, ?, ?)")
                    .params(service, subscription.node(), subscription.jid(), subscription.state().name(),
                            subscription.deliver())
                    .update();
        });
    }

    @Override
    public boolean unsubscribe(String service, String node, String jid) {
        return jdbc.sql("DELETE FROM pubsub_subscriptions WHERE service = ? AND node = ? AND jid = ?")
                .params(service, node, jid).update() > 0;
    }

    @Override
    public List<Subscription> subscriptions(String service, String node) {
        return jdbc.sql("SELECT * FROM pubsub_subscriptions WHERE service = ? AND node = ? ORDER BY jid")
                .params(service, node).query(JdbcPubsubStore::subscription).list();
    }

    @Override
    public List<Subscription> subscriptionsOf(String service, String bareJid) {
        return jdbc.sql("SELECT * FROM pubsub_subscriptions WHERE service = ? AND (jid = ? OR jid LIKE ? ESCAPE '\\') "
                        + "ORDER BY node, jid")
                .params(service, bareJid, fullJidsOf(bareJid)).query(JdbcPubsubStore::subscription).list();
    }

    /** Affiliations by the index of {@code db/pubsub/V5}; subscriptions, kept by the JID as asked, by a scan. */
    @Override
    public List<String> servicesNaming(String bareJid) {
        Set<String> services = new TreeSet<>(jdbc.sql("SELECT DISTINCT service FROM pubsub_affiliations WHERE jid = ?")
                .param(bareJid).query(String.class).list());
        services.addAll(jdbc.sql("SELECT DISTINCT service FROM pubsub_subscriptions WHERE jid = ? OR jid LIKE ? "
                + "ESCAPE '\\'").params(bareJid, fullJidsOf(bareJid)).query(String.class).list());
        return List.copyOf(services);
    }

    /** A LIKE pattern of the full JIDs of {@code bareJid}: its wildcards ('%', '_' are allowed in a localpart) escaped. */
    private static String fullJidsOf(String bareJid) {
        return bareJid.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "/%";
    }

    @Override
    public void removeService(String service) {
        transactions.executeWithoutResult(status -> {
            for (String table : List.of("pubsub_items", "pubsub_affiliations", "pubsub_subscriptions",
                    "pubsub_nodes")) {
                jdbc.sql("DELETE FROM " + table + " WHERE service = ?").params(service).update();
            }
        });
    }
}
