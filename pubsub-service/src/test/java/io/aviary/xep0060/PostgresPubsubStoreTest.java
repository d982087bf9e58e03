package io.aviary.xep0060;

import io.aviary.jdbctest.PostgresDatabase;
import javax.sql.DataSource;

/** The contract on embedded PostgreSQL with the pubsub schema, as a cluster runs it. */
class PostgresPubsubStoreTest extends PubsubStoreContract {

    @Override
    protected PubsubStore newStore() {
        DataSource dataSource = PostgresDatabase.create().dataSource();
        PubsubSchema.migrate(dataSource);
        return new JdbcPubsubStore(dataSource);
    }
}
