package io.aviary.xmpp.sasl;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash functions SCRAM is used with: SHA-1 (RFC 5802), SHA-256 (RFC 7677) and SHA-512
 * (draft-melnikov-scram-sha-512), each with its channel-binding "-PLUS" variant (RFC 5802 §4).
 */
public enum ScramAlgorithm {
    SHA_1("SCRAM-SHA-1", "SHA-1", "HmacSHA1", "PBKDF2WithHmacSHA1", 20),
    SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", "PBKDF2WithHmacSHA256", 32),
    SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", "PBKDF2WithHmacSHA512", 64);

    private static final String PLUS_SUFFIX = "-PLUS";

    private final String mechanismName;
    private final String digestAlgorithm;
    private final String hmacAlgorithm;
    private final String pbkdf2Algorithm;
    private final int keyLength;

    ScramAlgorithm(String mechanismName, String digestAlgorithm, String hmacAlgorithm,
            String pbkdf2Algorithm, int keyLength) {
        this.mechanismName = mechanismName;
        this.digestAlgorithm = digestAlgorithm;
        this.hmacAlgorithm = hmacAlgorithm;
        this.pbkdf2Algorithm = pbkdf2Algorithm;
        this.keyLength = keyLength;
    }

    /** The SASL name without channel binding, e.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** The SASL name with channel binding, e.g. {@code SCRAM-SHA-256-PLUS}. */
    public String plusMechanismName() {
        return mechanismName + PLUS_SUFFIX;
    }

    /** The mechanism name, with or without channel binding. */
    public String mechanismName(boolean plus) {
        return plus ? plusMechanismName() : mechanismName;
    }

    /** JCA {@link MessageDigest} name of H(). */
    public String digestAlgorithm() {
        return digestAlgorithm;
    }

    /** JCA {@link Mac} name of HMAC(). */
    public String hmacAlgorithm() {
        return hmacAlgorithm;
    }

    /** JCA {@link javax.crypto.SecretKeyFactory} name of Hi() (RFC 5802 §2.2: Hi is PBKDF2 with HMAC). */
    public String pbkdf2Algorithm() {
        return pbkdf2Algorithm;
    }

    /** Output length of H() in bytes, which is also the length of every SCRAM key and proof. */
    public int keyLength() {
        return keyLength;
    }

    /** The algorithm whose plain or -PLUS mechanism name is {@code name}, if any. */
    public static Optional<ScramAlgorithm> fromMechanismName(String name) {
        for (ScramAlgorithm algorithm : values()) {
            if (algorithm.mechanismName.equals(name) || algorithm.plusMechanismName().equals(name)) {
                return Optional.of(algorithm);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code name} is a -PLUS (channel binding) mechanism name. */
    public static boolean isPlus(String name) {
        return name != null && name.endsWith(PLUS_SUFFIX);
    }

    byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            // SunJCE (every OpenJDK build) provides all three; absence means a crippled runtime.
            throw new IllegalStateException(hmacAlgorithm + " unavailable", e);
        }
    }

    byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digestAlgorithm).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(digestAlgorithm + " unavailable", e);
        }
    }
}
