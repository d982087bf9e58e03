package io.aviary.muc;

import io.aviary.capability.EventSink;
import io.aviary.xep0045.InMemoryRoomStore;
import io.aviary.xep0045.JdbcRoomStore;
import io.aviary.xep0045.RoomStore;
import java.util.List;
import javax.sql.DataSource;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;

/**
 * Where rooms are kept ({@link RoomStoreProperties}): on the application's database when it has one, its tables
 * migrated by {@link RoomSchema}; in memory otherwise or with {@code aviary.muc.store=memory}.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration"})
@EnableConfigurationProperties(RoomStoreProperties.class)
public class RoomStoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RoomStoreConfiguration.class);

    /**
     * After the application's own Flyway (when it has one): a room migration that ran first would leave that Flyway
     * a non-empty schema without its history, which it refuses to migrate.
     */
    @Bean
    public RoomsRemovedOnStart roomsRemovedOnStart(ObjectProvider<EventSink> events) {
        return new RoomsRemovedOnStart(events);
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    public RoomStore roomStore(ObjectProvider<DataSource> dataSource, RoomStoreProperties properties,
                               RoomsRemovedOnStart removedOnStart) {
        DataSource database = dataSource.getIfAvailable();
        RoomStoreProperties.Store kind = properties.store() != null ? properties.store()
                : database != null ? RoomStoreProperties.Store.JDBC : RoomStoreProperties.Store.MEMORY;
        if (kind == RoomStoreProperties.Store.MEMORY) {
            return new InMemoryRoomStore();
        }
        if (database == null) {
            throw new IllegalStateException("aviary.muc.store=jdbc needs a database (spring.datasource.url)");
        }
        RoomSchema.migrate(database);
        JdbcRoomStore store = new JdbcRoomStore(database);
        if (properties.clearOccupantsOnStart()) {
            List<EntityBareJid> removed = store.clearOccupants();
            removedOnStart.removed(removed);
            log.info("Rooms: occupants of the previous run cleared, {} temporary rooms removed", removed.size());
        }
        return store;
    }
}
