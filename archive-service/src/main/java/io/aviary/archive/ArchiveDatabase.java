package io.aviary.archive;

import java.io.Closeable;
import java.io.IOException;
import javax.sql.DataSource;

/**
 * The database of the archives and push registrations, migrated ({@link ArchiveSchema}): the application's own, or one
 * of their own when {@code aviary.archive.database-url} names one. The standalone app gives them their own embedded
 * file, written behind (H2's {@code WRITE_DELAY}): its main file commits every write at once for the accounts' and
 * rosters' sake, which for a message archive rewrote every index page each message touched, many times over.
 *
 * @param owned whether this database was opened for the archive (and is closed with it)
 */
public record ArchiveDatabase(DataSource dataSource, boolean owned) implements AutoCloseable {

    public static ArchiveDatabase migrated(DataSource dataSource, boolean owned) {
        ArchiveSchema.migrate(dataSource);
        return new ArchiveDatabase(dataSource, owned);
    }

    @Override
    public void close() throws IOException {
        if (owned && dataSource instanceof Closeable pool) {
            pool.close();
        }
    }
}
