package io.aviary.xep0313;

import io.aviary.archive.ArchiveSchema;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The archive store contract on H2 (its default mode, as the standalone app's file uses), migrated by ArchiveSchema. */
class JdbcArchiveStoreTest extends ArchiveStoreContract {

    @Override
    protected ArchiveStore newStore() {
        DataSource dataSource = database();
        ArchiveSchema.migrate(dataSource);
        return new JdbcArchiveStore(dataSource, DELETE_BATCH);
    }

    /** A fresh, empty database; the PostgreSQL subclass overrides it. */
    DataSource database() {
        return h2();
    }

    static DataSource h2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:archive-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }
}
