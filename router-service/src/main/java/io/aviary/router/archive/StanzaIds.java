package io.aviary.router.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.function.Supplier;

/**
 * XEP-0359 stanza ids: 16 url-safe base64 characters (96 random bits). §5 wants them unpredictable, and §7 wants an
 * id that tells nothing, such as the size of the archive, hence random rather than a counter.
 *
 * <p>Each routing thread draws from a generator of its own: the platform's default {@code SecureRandom} (NativePRNG)
 * reads {@code /dev/urandom} under one lock for the whole JVM, and with the bus lanes taking two ids per message the
 * lanes queued on it for tens of milliseconds at chat rates.
 */
public final class StanzaIds implements Supplier<String> {

    private static final int BYTES = 12; // 12 bytes are 16 base64 characters, without padding

    private final ThreadLocal<Random> random;

    /** Ids from {@code random} (tests: a seeded one). */
    public StanzaIds(Random random) {
        this.random = ThreadLocal.withInitial(() -> random);
    }

    /** Ids from a DRBG per thread, seeded by the platform. */
    public StanzaIds() {
        this.random = ThreadLocal.withInitial(StanzaIds::drbg);
    }

    private static Random drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("DRBG is part of every JDK since 9", e);
        }
    }

    /**
     * The id for {@code owner}'s archive of the message the bus delivered as {@code publication}: the same when the
     * bus delivers that record again (a router that died before committing), so the second routing stamps and
     * publishes the same message, which the gateway then recognises as a copy; unpredictable all the same, as the
     * publication id is the bus's own random one.
     */
    public static String derived(String publication, String owner) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha256.digest((publication + '\n' + owner).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, BYTES));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String get() {
        byte[] bytes = new byte[BYTES];
        random.get().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
