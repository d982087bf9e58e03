package io.aviary.xep0363;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The S3 store against S3Proxy (a real S3 server over a directory, signatures checked); a bucket per test. */
class S3FileStoreTest extends FileStoreContract {

    private static S3ProxyServer server;
    private static int buckets;
    private S3FileStore store;

    @BeforeAll
    static void start() throws Exception {
        server = S3ProxyServer.start(Files.createTempDirectory("s3proxy"));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void create() {
        String bucket = "bucket-" + (++buckets);
        server.createBucket(bucket);
        store = S3FileStore.of(server.settings(bucket));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    FileStore store() {
        return store;
    }
}
