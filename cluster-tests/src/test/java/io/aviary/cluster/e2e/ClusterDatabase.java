package io.aviary.cluster.e2e;

import java.nio.file.Path;

/** The cluster's database as the tiers see it: a JDBC URL and credentials, shared by processes. */
record ClusterDatabase(String url, String username, String password, AutoCloseable owner) implements AutoCloseable {

    static ClusterDatabase create(Path dataDir) {
        // H2 in server mode, so a gateway in its own process shares it.
        return new ClusterDatabase("jdbc:h2:file:" + dataDir.resolve("aviary") + ";AUTO_SERVER=TRUE", "aviary", "",
                () -> { });
    }

    @Override
    public void close() {
        try {
            owner.close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
