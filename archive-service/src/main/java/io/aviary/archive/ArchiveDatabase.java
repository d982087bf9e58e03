package io.aviary.archive;

import java.io.Closeable;
import java.io.IOException;
import javax.sql.DataSource;

/**
 * The database of the archives (with {@code aviary.archive.store=jdbc}) and push registrations, migrated
 * ({@link ArchiveSchema}): the application's own, or one of their own when {@code aviary.archive.database-url} names
 * one. The standalone app keeps its messages in RocksDB instead ({@link io.aviary.xep0313.RocksDbArchiveStore}).
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
