package io.aviary.xep0114;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** XEP-0114 §3: the component proves the shared secret with the hex SHA-1 of the stream id followed by the secret. */
final class Handshake {

    private Handshake() {
    }

    static String digest(String streamId, String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-1")
                    .digest((streamId + secret).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    /** Whether {@code offered} is the digest; in time independent of where they differ, and hex case-insensitively. */
    static boolean verify(String offered, String streamId, String secret) {
        byte[] expected = digest(streamId, secret).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = offered.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
