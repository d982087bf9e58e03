package io.aviary.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * What the server stores for one user and one hash (RFC 5802 §3, §5.1): salt, iteration count,
 * StoredKey and ServerKey. Enough to verify a SCRAM exchange, not enough to log in elsewhere.
 * Arrays are copied in and out, so instances are immutable.
 */
public record ScramCredentials(ScramAlgorithm algorithm, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {

    /** RFC 5802 §5.1 / RFC 7677 §4: at least 4096 iterations. Lower counts are accepted for tests. */
    public static final int DEFAULT_ITERATIONS = 4096;

    /** 128-bit salts: the minimum NIST SP 800-132 §5.1 asks for. */
    public static final int SALT_LENGTH = 16;

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    public ScramCredentials {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(salt, "salt");
        Objects.requireNonNull(storedKey, "storedKey");
        Objects.requireNonNull(serverKey, "serverKey");
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt must not be empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        if (storedKey.length != algorithm.keyLength() || serverKey.length != algorithm.keyLength()) {
            throw new IllegalArgumentException("keys must be " + algorithm.keyLength() + " bytes for " + algorithm);
        }
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /**
     * Derives credentials from a password (RFC 5802 §3):
     * <pre>
     * SaltedPassword  := Hi(Normalize(password), salt, i)
     * ClientKey       := HMAC(SaltedPassword, "Client Key")
     * StoredKey       := H(ClientKey)
     * ServerKey       := HMAC(SaltedPassword, "Server Key")
     * </pre>
     *
     * @throws IllegalArgumentException when the password is not a valid OpaqueString (see
     *     {@link PasswordNormalizer}) or the salt/iterations are invalid.
     */
    public static ScramCredentials derive(ScramAlgorithm algorithm, String password, byte[] salt, int iterations) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(salt, "salt");
        byte[] saltedPassword = saltedPassword(algorithm, PasswordNormalizer.normalize(password), salt, iterations);
        try {
            byte[] clientKey = algorithm.hmac(saltedPassword, CLIENT_KEY);
            byte[] storedKey = algorithm.hash(clientKey);
            byte[] serverKey = algorithm.hmac(saltedPassword, SERVER_KEY);
            Arrays.fill(clientKey, (byte) 0);
            return new ScramCredentials(algorithm, salt, iterations, storedKey, serverKey);
        } finally {
            Arrays.fill(saltedPassword, (byte) 0);
        }
    }

    /** Derives credentials with a fresh random salt of {@link #SALT_LENGTH} bytes. */
    public static ScramCredentials create(ScramAlgorithm algorithm, String password, int iterations, SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return derive(algorithm, password, salt, iterations);
    }

    /**
     * Hi() of RFC 5802 §2.2, which is PBKDF2 (RFC 8018) with HMAC as PRF and dkLen = the hash
     * length, i.e. exactly one block. PBEKeySpec takes a char[]; SunJCE's PBKDF2 turns it into
     * bytes with UTF-8 (PBKDF2KeyImpl.getPasswordBytes), which is what RFC 5802 requires
     * ("the normalized password is UTF-8 encoded"). ScramCredentialsTest checks this against a
     * hand-written HMAC loop for non-ASCII passwords, and against the RFC 5802 / 7677 vectors.
     */
    private static byte[] saltedPassword(ScramAlgorithm algorithm, String normalizedPassword, byte[] salt, int iterations) {
        if (salt.length == 0) {
            throw new IllegalArgumentException("salt must not be empty");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        char[] chars = normalizedPassword.toCharArray();
        PBEKeySpec spec = new PBEKeySpec(chars, salt, iterations, algorithm.keyLength() * 8);
        try {
            return SecretKeyFactory.getInstance(algorithm.pbkdf2Algorithm()).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm.pbkdf2Algorithm() + " unavailable", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(chars, '\0');
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentials other
                && algorithm == other.algorithm
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                // Constant time: equality checks on keys should not become a timing oracle.
                && MessageDigest.isEqual(storedKey, other.storedKey)
                && MessageDigest.isEqual(serverKey, other.serverKey);
    }

    @Override
    public int hashCode() {
        // Keys left out on purpose: hash codes end up in logs and debuggers more often than one thinks.
        return Objects.hash(algorithm, iterations, Arrays.hashCode(salt));
    }

    @Override
    public String toString() {
        // The salt is public (it is sent in server-first-message); the keys are not printed.
        return "ScramCredentials[algorithm=" + algorithm + ", salt=" + Base64.getEncoder().encodeToString(salt)
                + ", iterations=" + iterations + ", storedKey=<redacted>, serverKey=<redacted>]";
    }
}
