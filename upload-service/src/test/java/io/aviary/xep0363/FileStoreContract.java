package io.aviary.xep0363;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;

/** What every {@link FileStore} does; each implementation's test supplies a fresh, empty store. */
abstract class FileStoreContract {

    static final EntityBareJid ROMEO = JidCreate.entityBareFromOrThrowUnchecked("romeo@example.org");
    static final EntityBareJid JULIET = JidCreate.entityBareFromOrThrowUnchecked("juliet@example.org");

    abstract FileStore store();

    private static InputStream bytes(byte[] content) {
        return new ByteArrayInputStream(content);
    }

    @Test
    void aStoredFileStreamsBackWithItsSizeAndType() throws IOException {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        FileKey key = FileKey.create(ROMEO, "balcony scene.bin");
        store().put(key, content.length, "application/x-test", bytes(content));

        FileStore.StoredFile file = store().stat(key).orElseThrow();
        assertThat(file.size()).isEqualTo(content.length);
        assertThat(file.contentType()).isEqualTo("application/x-test");
        try (InputStream in = store().get(key).orElseThrow().content()) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void aKeyIsStoredOnce() throws IOException {
        FileKey key = FileKey.create(ROMEO, "once.txt");
        store().put(key, 3, "text/plain", bytes("abc".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> store().put(key, 3, "text/plain", bytes("xyz".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(FileAlreadyExistsException.class);
        try (InputStream in = store().get(key).orElseThrow().content()) {
            assertThat(in.readAllBytes()).isEqualTo("abc".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aShortStreamLeavesNothingBehind() throws IOException {
        FileKey key = FileKey.create(ROMEO, "short.bin");
        assertThatThrownBy(() -> store().put(key, 10, "application/octet-stream", bytes(new byte[4])))
                .isInstanceOf(IOException.class);
        assertThat(store().stat(key)).isEmpty();
    }

    @Test
    void filesGroupByOwnerForUsageAndRemoval() throws IOException {
        store().put(FileKey.create(ROMEO, "a"), 10, "application/octet-stream", bytes(new byte[10]));
        store().put(FileKey.create(ROMEO, "b"), 20, "application/octet-stream", bytes(new byte[20]));
        FileKey juliets = FileKey.create(JULIET, "c");
        store().put(juliets, 5, "application/octet-stream", bytes(new byte[5]));

        assertThat(store().usage(FileKey.owner(ROMEO))).isEqualTo(30);
        assertThat(store().list(FileKey.owner(ROMEO))).hasSize(2);

        store().deleteOwner(FileKey.owner(ROMEO));
        assertThat(store().usage(FileKey.owner(ROMEO))).isZero();
        assertThat(store().stat(juliets)).isPresent();
    }

    @Test
    void onlyFilesOlderThanTheCutoffExpire() throws IOException {
        FileKey key = FileKey.create(JULIET, "old");
        store().put(key, 1, "application/octet-stream", bytes(new byte[1]));
        assertThat(store().deleteOlderThan(Instant.now().minusSeconds(3600))).isZero();
        assertThat(store().stat(key)).isPresent();

        assertThat(store().deleteOlderThan(Instant.now().plusSeconds(3600))).isEqualTo(1);
        assertThat(store().stat(key)).isEmpty();
        assertThat(store().get(key)).isEmpty();
    }

    @Test
    void anUnknownKeyIsAbsent() throws IOException {
        FileKey key = FileKey.create(ROMEO, "never.txt");
        assertThat(store().stat(key)).isEmpty();
        assertThat(store().get(key)).isEmpty();
        store().delete(key);
    }
}
