package io.aviary.xep0363;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where uploaded files live: a directory ({@link DirectoryFileStore}) or S3-compatible object storage
 * ({@link S3FileStore}). Keys are {@code <owner>/<random>/<filename>} ({@link FileKey}), so everything an account
 * keeps is found by its owner prefix: quota, account removal and expiry need no database.
 */
public interface FileStore {

    /** A stored file: its key, exact size, content type and when it was stored. */
    record StoredFile(FileKey key, long size, String contentType, Instant created) {
    }

    /** An open stored file; the caller closes {@code content}. */
    record Download(StoredFile file, InputStream content) {
    }

    /**
     * Stores exactly {@code size} bytes of {@code content} under {@code key}, never partly: a shorter stream fails and
     * leaves nothing behind. An existing file under the key is an {@link java.nio.file.FileAlreadyExistsException}.
     */
    void put(FileKey key, long size, String contentType, InputStream content) throws IOException;

    /** The file under {@code key}, if stored. */
    Optional<StoredFile> stat(FileKey key) throws IOException;

    /** The file under {@code key} opened for reading, streamed from the store. */
    Optional<Download> get(FileKey key) throws IOException;

    void delete(FileKey key) throws IOException;

    /** The files of {@code owner} ({@link FileKey#owner()}). */
    List<StoredFile> list(String owner) throws IOException;

    /** The bytes {@code owner} keeps stored. */
    default long usage(String owner) throws IOException {
        return list(owner).stream().mapToLong(StoredFile::size).sum();
    }

    /** Deletes the files of {@code owner}. */
    default void deleteOwner(String owner) throws IOException {
        for (StoredFile file : list(owner)) {
            delete(file.key());
        }
    }

    /** Deletes every file stored before {@code cutoff}; returns how many. */
    int deleteOlderThan(Instant cutoff) throws IOException;
}
