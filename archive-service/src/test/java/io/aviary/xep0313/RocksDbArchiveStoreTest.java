package io.aviary.xep0313;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive store contract on RocksDB, the standalone app's archive; and what it keeps across a restart. */
class RocksDbArchiveStoreTest extends ArchiveStoreContract {

    @TempDir
    Path directory;

    private RocksDbArchiveStore opened;

    @Override
    protected ArchiveStore newStore() {
        try {
            opened = new RocksDbArchiveStore(Files.createTempDirectory(directory, "archive"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return opened;
    }

    @AfterEach
    void closeStore() {
        opened.close();
    }

    @Test
    void messagesPreferencesAndTheOrderOfNewMessagesSurviveARestart() {
        Path files = directory.resolve("restarted");
        try (RocksDbArchiveStore first = new RocksDbArchiveStore(files)) {
            first.append(message("m0", 0, ROMEO));
            first.append(message("m1", 1, NURSE));
            first.savePreferences(JULIET, new ArchivePreferences(ArchivePreferences.Default.ROSTER,
                    java.util.Set.of(ROMEO), java.util.Set.of()));
        }
        try (RocksDbArchiveStore second = new RocksDbArchiveStore(files)) {
            assertThat(second.append(message("m1", 1, NURSE))).as("an id appended before the restart").isFalse();
            second.append(message("m2", 2, ROMEO));

            assertThat(ids(second.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10))))
                    .containsExactly("m0", "m1", "m2");
            assertThat(ids(second.query(JULIET, with(ROMEO), PageRequest.first(10)))).containsExactly("m0", "m2");
            assertThat(second.preferences(JULIET).defaultPolicy()).isEqualTo(ArchivePreferences.Default.ROSTER);
            assertThat(second.owners(null, 10)).isEqualTo(List.of(JULIET));
        }
    }

    @Test
    void oneWriteSeesItsOwnMessagesAndLeavesNothingBehindWhenItFails() {
        store.inOneWrite(() -> {
            assertThat(store.append(message("m0", 0, ROMEO))).isTrue();
            assertThat(store.append(message("m0", 0, ROMEO))).as("the same id within the write").isFalse();
            assertThat(store.findByClientId(JULIET, ROMEO, "c-m0")).isPresent();
            assertThat(store.retract(JULIET, "m0", message("t0", 0, ROMEO).message())).isTrue();
        });
        assertThat(store.find(JULIET, "m0")).hasValueSatisfying(m -> assertThat(m.retracted()).isTrue());

        assertThatThrownBy(() -> store.inOneWrite(() -> {
            store.append(message("m1", 1, ROMEO));
            throw new IllegalStateException("a record that cannot be written");
        })).hasMessageContaining("cannot be written");
        assertThat(store.find(JULIET, "m1")).isEmpty();
        store.append(message("m2", 2, NURSE));
        assertThat(ids(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)))).containsExactly("m0", "m2");
    }

    @Test
    void aWriteOfManyMessagesCountsThemAndKeepsTheirOrderAcrossARestart() {
        Path files = directory.resolve("batched");
        try (RocksDbArchiveStore first = new RocksDbArchiveStore(files)) {
            first.inOneWrite(() -> {
                first.append(message("m0", 0, ROMEO));
                first.append(message(NURSE, "n0", 0, JULIET, null));
                first.append(message("m1", 1, NURSE));
                // a read within the write sees what the write has gathered so far
                assertThat(first.query(JULIET, ArchiveQuery.ALL, PageRequest.first(1)).count()).isEqualTo(2);
                first.append(message("m2", 2, ROMEO));
                first.append(message(NURSE, "n1", 1, JULIET, null));
            });
            assertThat(first.query(JULIET, ArchiveQuery.ALL, PageRequest.first(1)).count()).isEqualTo(3);
            assertThat(first.query(NURSE, ArchiveQuery.ALL, PageRequest.first(1)).count()).isEqualTo(2);
        }
        try (RocksDbArchiveStore second = new RocksDbArchiveStore(files)) {
            second.append(message("m3", 3, ROMEO));
            assertThat(ids(second.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10))))
                    .containsExactly("m0", "m1", "m2", "m3");
            assertThat(second.query(JULIET, ArchiveQuery.ALL, PageRequest.first(1)).count()).isEqualTo(4);
            assertThat(ids(second.query(NURSE, ArchiveQuery.ALL, PageRequest.first(10)))).containsExactly("n0", "n1");
        }
    }

    /**
     * RocksDB's own loader unpacks its native library into a new file of the temporary directory at every start and
     * leaves it there when the process does not exit normally: each hard kill of the server cost 16 MB of /tmp.
     */
    @Test
    void aProcessKilledHardLeavesOneNativeLibraryInTheStoreAndNothingInTheTemporaryDirectory() throws Exception {
        Path files = directory.resolve("killed");
        Path temporary = Files.createDirectories(directory.resolve("jvm-tmp"));
        for (int start = 1; start <= 2; start++) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + temporary, "-cp", System.getProperty("java.class.path"),
                    RocksDbStoreThenHalt.class.getName(), files.toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the process ended").isTrue();
            assertThat(output).as("start %d", start).contains("opened");
            try (Stream<Path> left = Files.list(files.resolve(RocksDbArchiveStore.NATIVE))) {
                assertThat(left.map(path -> path.getFileName().toString()))
                        .singleElement().asString().startsWith("librocksdbjni");
            }
            try (Stream<Path> left = Files.list(temporary)) {
                assertThat(left.map(path -> path.getFileName().toString()))
                        .noneMatch(name -> name.startsWith("librocksdbjni"));
            }
        }
        try (RocksDbArchiveStore reopened = new RocksDbArchiveStore(files)) {
            assertThat(ids(reopened.query(JULIET, ArchiveQuery.ALL, PageRequest.first(10)))).containsExactly("m0");
        }
    }

    @Test
    void theCountOfAWholeArchiveFollowsAppendsAndEveryRemoval() {
        fill();
        store.append(message(NURSE, "n0", 0, JULIET, null));
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(1)).count()).isEqualTo(10);

        store.trim(JULIET, 7);
        store.removeBefore(T0.plusSeconds(5));
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(1)).count()).isEqualTo(5);
        assertThat(store.query(NURSE, ArchiveQuery.ALL, PageRequest.first(1)).count()).isZero();

        store.removeOwner(JULIET);
        store.append(message("m10", 10, ROMEO));
        assertThat(store.query(JULIET, ArchiveQuery.ALL, PageRequest.first(1)).count()).isEqualTo(1);
    }
}
