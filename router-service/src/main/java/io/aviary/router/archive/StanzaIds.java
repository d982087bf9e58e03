package io.aviary.router.archive;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.function.Supplier;

/**
 * XEP-0359 stanza ids: 16 url-safe base64 characters (96 random bits). §5 wants them unpredictable, and §7 wants an
 * id that tells nothing, such as the size of the archive, hence random rather than a counter.
 */
public final class StanzaIds implements Supplier<String> {

    private static final int BYTES = 12; // 12 bytes are 16 base64 characters, without padding

    private final Random random;

    public StanzaIds(Random random) {
        this.random = random;
    }

    public StanzaIds() {
        this(new SecureRandom());
    }

    @Override
    public String get() {
        byte[] bytes = new byte[BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
