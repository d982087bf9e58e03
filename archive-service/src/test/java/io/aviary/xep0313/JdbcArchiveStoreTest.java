package io.aviary.xep0313;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.archive.ArchiveSchema;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The archive store contract on H2 (its default mode, as the standalone app's file uses), migrated by ArchiveSchema. */
class JdbcArchiveStoreTest extends ArchiveStoreContract {

    private DataSource dataSource;

    @Override
    protected ArchiveStore newStore() {
        dataSource = database();
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

    /**
     * Preferences stay in memory until the bus hands the instance other owners: another instance that handled the owner
     * meanwhile (here a second store on the same database) may have changed them.
     */
    @Test
    void preferencesChangedByAnotherInstanceAreReadAgainOnceTheOwnersAreReassigned() {
        ArchivePreferences never = new ArchivePreferences(ArchivePreferences.Default.NEVER, Set.of(), Set.of(ROMEO));
        assertThat(store.preferences(JULIET)).isEqualTo(ArchivePreferences.DEFAULT);

        new JdbcArchiveStore(dataSource, DELETE_BATCH).savePreferences(JULIET, never);

        assertThat(store.preferences(JULIET)).as("kept in memory").isEqualTo(ArchivePreferences.DEFAULT);
        store.ownersReassigned();
        assertThat(store.preferences(JULIET)).isEqualTo(never);
    }
}
