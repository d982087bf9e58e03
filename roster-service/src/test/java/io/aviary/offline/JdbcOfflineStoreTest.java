package io.aviary.offline;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** The offline store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcOfflineStoreTest extends OfflineStoreContract {

    @Override
    protected OfflineStore newStore() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:offline-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcOfflineStore(dataSource);
    }
}
