package io.aviary.capability.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.bus.BusMessage;
import io.aviary.bus.InProcessBus;
import io.aviary.bus.StanzaBus;
import io.aviary.capability.Capability;
import io.aviary.capability.CapabilityRegistry;
import io.aviary.capability.Declaration;
import io.aviary.capability.KeyValueStore;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Where a capability's stores keep their values: durable stores in the database; presence stores there only when the
 * bus spans processes (a cluster), in memory when this process is the whole server. And a put replaces a value as one.
 */
class CapabilityStoresTest {

    private static final Map<String, KeyValueStore> OPENED = new ConcurrentHashMap<>();

    private final DataSource database = database();

    @Test
    void inTheStandaloneServerPresenceStateStaysInMemoryAndDurableStateGoesToTheDatabase() {
        runner(new InProcessBus(2)).run(context -> {
            assertThat(context).hasNotFailed();
            putBoth();

            assertThat(rows()).containsExactly("pep/seen/juliet@localhost/nick=Jule");
            assertThat(OPENED.get("presence").get("juliet@localhost", "romeo@localhost")).contains("available");
        });
    }

    @Test
    void inAClusterPresenceStateIsSharedThroughTheDatabaseToo() {
        runner(new SpanningBus()).run(context -> {
            assertThat(context).hasNotFailed();
            putBoth();

            assertThat(rows()).containsExactlyInAnyOrder("pep/seen/juliet@localhost/nick=Jule",
                    "pep/contacts/juliet@localhost/romeo@localhost=available");
        });
    }

    @Test
    void aPutThatFailsLeavesTheValueItWasToReplace() {
        KeyValueStore store = new JdbcKeyValueStore(database, "pep", "seen");
        store.put("juliet@localhost", "nick", "Jule");
        store.put("juliet@localhost", "nick", "Juliet");

        // item_value is NOT NULL: the insert fails after the delete, which must not stand alone.
        assertThatThrownBy(() -> store.put("juliet@localhost", "nick", null)).isInstanceOf(RuntimeException.class);

        assertThat(store.get("juliet@localhost", "nick")).contains("Juliet");
        assertThat(rows()).containsExactly("pep/seen/juliet@localhost/nick=Juliet");
    }

    private ApplicationContextRunner runner(StanzaBus bus) {
        OPENED.clear();
        Capability pep = Capability.of(Declaration.builder("pep").store("seen").store("contacts").build(), r -> {
            OPENED.put("durable", r.context().store("seen"));
            OPENED.put("presence", r.context().presenceStore("contacts"));
        });
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CapabilitiesConfiguration.class))
                .withPropertyValues("aviary.plugins.dir=target/no-plugins-" + UUID.randomUUID())
                .withBean(StanzaBus.class, () -> bus)
                .withBean(DataSource.class, () -> database)
                .withBean(Capability.class, () -> pep);
    }

    private static void putBoth() {
        OPENED.get("durable").put("juliet@localhost", "nick", "Jule");
        OPENED.get("presence").put("juliet@localhost", "romeo@localhost", "available");
    }

    private java.util.List<String> rows() {
        return JdbcClient.create(database).sql("SELECT capability, store, owner, item_key, item_value FROM capability_store")
                .query((rs, n) -> rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3) + "/"
                        + rs.getString(4) + "=" + rs.getString(5)).list();
    }

    private static DataSource database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:stores-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/V16__capability_store.sql")).execute(dataSource);
        return dataSource;
    }

    /** A bus shared with other processes, as Kafka is; what goes over it does not matter here. */
    private static final class SpanningBus implements StanzaBus {
        @Override
        public void publish(String topic, String key, BusMessage message) {
        }

        @Override
        public Subscription subscribe(String topic, String group, Consumer<BusMessage> handler) {
            return () -> { };
        }
    }
}
