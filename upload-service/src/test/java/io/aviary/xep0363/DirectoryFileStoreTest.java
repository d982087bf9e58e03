package io.aviary.xep0363;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

class DirectoryFileStoreTest extends FileStoreContract {

    @TempDir
    Path directory;
    private FileStore store;

    @BeforeEach
    void create() throws IOException {
        store = new DirectoryFileStore(directory.resolve("upload"), Clock.systemUTC());
    }

    @Override
    FileStore store() {
        return store;
    }
}
