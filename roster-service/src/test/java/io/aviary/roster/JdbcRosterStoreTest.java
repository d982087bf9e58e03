package io.aviary.roster;

import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/** The roster store contract on H2 migrated by Flyway, as the standalone app runs it. */
class JdbcRosterStoreTest extends RosterStoreContract {

    @Override
    protected RosterStore newStore() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:roster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcRosterStore(dataSource);
    }
}
