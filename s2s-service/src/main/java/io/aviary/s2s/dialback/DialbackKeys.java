package io.aviary.s2s.dialback;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Dialback keys (XEP-0220 §2.1.1) as XEP-0185 §3 recommends: {@code HEX(HMAC-SHA256(HEX(SHA256(secret)),
 * receiving + ' ' + originating + ' ' + streamId))}. Nothing is stored: a key this server issued is recognised by
 * computing it again, so any instance with the same secret can answer a {@code db:verify}.
 */
public final class DialbackKeys {

    private final byte[] hmacKey;

    /** Keys from {@code secret}; null or blank draws a random one (right for one process only, see S2sProperties). */
    public DialbackKeys(String secret) {
        String effective = secret;
        if (effective == null || effective.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            effective = HexFormat.of().formatHex(random);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(effective.getBytes(StandardCharsets.UTF_8));
            this.hmacKey = HexFormat.of().formatHex(hash).getBytes(StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key the originating server sends to the receiving server on the stream with id {@code streamId}. */
    public String key(String receiving, String originating, String streamId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
            byte[] text = (receiving + " " + originating + " " + streamId).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(mac.doFinal(text));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code key} is the one this server issued for these parties and stream, compared in constant time. */
    public boolean verify(String receiving, String originating, String streamId, String key) {
        return key != null && MessageDigest.isEqual(key(receiving, originating, streamId).getBytes(StandardCharsets.UTF_8),
                key.trim().getBytes(StandardCharsets.UTF_8));
    }
}
