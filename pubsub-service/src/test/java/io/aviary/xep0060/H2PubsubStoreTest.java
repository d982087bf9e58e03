package io.aviary.xep0060;

import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;

/** The contract on H2 with the pubsub schema, as the standalone app runs it. */
class H2PubsubStoreTest extends PubsubStoreContract {

    @Override
    protected PubsubStore newStore() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:pubsub-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        PubsubSchema.migrate(dataSource);
        return new JdbcPubsubStore(dataSource);
    }
}
