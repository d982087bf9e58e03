package io.aviary.capability.spring;

import io.aviary.capability.KeyValueStore;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A capability's {@link KeyValueStore} in the table {@code capability_store} (migration {@code V16__capability_store}). */
final class JdbcKeyValueStore implements KeyValueStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final String capability;
    private final String store;

    JdbcKeyValueStore(DataSource dataSource, String capability, String store) {
        this.jdbc = JdbcClient.create(dataSource);
        this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.capability = capability;
        this.store = store;
    }

    @Override
    public Optional<String> get(String owner, String key) {
        return jdbc.sql("SELECT item_value FROM capability_store WHERE capability = ? AND store = ? AND owner = ? AND item_key = ?")
                .params(capability, store, owner, key).query(String.class).optional();
    }

    @Override
    public void put(String owner, String key, String value) {
        // Delete then insert: portable between H2 and PostgreSQL. One transaction, so that a reader never finds the
        // value missing, a failed insert leaves the old one, and it is one commit (on H2 one write of its file).
        transaction.executeWithoutResult(status -> {
            delete(owner, key);
            jdbc.sql("INSERT INTO capability_store (capability, store, owner, item_key, item_value) VALUES (?, ?, ?, ?, ?)")
                    .params(capability, store, owner, key, value).update();
        });
    }

    @Override
    public void delete(String owner, String key) {
        jdbc.sql("DELETE FROM capability_store WHERE capability = ? AND store = ? AND owner = ? AND item_key = ?")
                .params(capability, store, owner, key).update();
    }

    @Override
    public void deleteOwner(String owner) {
        jdbc.sql("DELETE FROM capability_store WHERE capability = ? AND store = ? AND owner = ?")
                .params(capability, store, owner).update();
    }
}
