package io.aviary.xep0313;

import java.nio.file.Path;

/**
 * A process that opens a {@link RocksDbArchiveStore} in the directory it is given, archives one message and stops as a
 * crash or {@code kill -9} would: without shutdown hooks, so nothing removes what the process left on disk.
 */
final class RocksDbStoreThenHalt {

    private RocksDbStoreThenHalt() {
    }

    public static void main(String[] args) {
        RocksDbArchiveStore store = new RocksDbArchiveStore(Path.of(args[0]));
        store.append(ArchiveStoreContract.message("m0", 0, ArchiveStoreContract.ROMEO));
        System.out.println("opened");
        Runtime.getRuntime().halt(0);
    }
}
