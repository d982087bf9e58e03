package io.aviary.xmpp.sasl;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Stand-in credentials for users that do not exist, so that SCRAM answers an unknown user exactly
 * like a known one and then fails with the generic {@code not-authorized} (RFC 6120 §6.5.10 lets
 * the server withhold the reason), instead of revealing through an early failure, or through a
 * salt that changes on every attempt, which accounts exist. The salt is an HMAC of the username
 * under a server secret: stable across attempts and, with a shared secret, across cluster nodes, so
 * repeated probes see the same salt just as for a real account. The keys are never matched: the
 * exchange fails at proof time regardless.
 */
public final class DecoyCredentials {

    /** Secret for deployments that do not configure one; stable only for this JVM's lifetime. */
    private static final class ProcessSecret {
        static final byte[] VALUE = randomSecret();

        private static byte[] randomSecret() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return bytes;
        }
    }

    private final byte[] secret;
    private final int iterations;

    /**
     * @param secret a server-wide secret of at least 16 bytes; every node of a cluster must use the
     *     same one, or probing different nodes would expose unknown users through differing salts.
     * @param iterations the count real accounts use, so decoys do not stand out.
     */
    public DecoyCredentials(byte[] secret, int iterations) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret must be at least 16 bytes");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive: " + iterations);
        }
        this.secret = secret.clone();
        this.iterations = iterations;
    }

    /** Decoys keyed by a random per-process secret, with {@link ScramCredentials#DEFAULT_ITERATIONS}. */
    public static DecoyCredentials perProcess() {
        return new DecoyCredentials(ProcessSecret.VALUE, ScramCredentials.DEFAULT_ITERATIONS);
    }

    /** Deterministic fake credentials for {@code username} and {@code algorithm}. */
    public ScramCredentials forUser(String username, ScramAlgorithm algorithm) {
        byte[] seed = ScramAlgorithm.SHA_256.hmac(secret,
                (algorithm.name() + '\0' + username).getBytes(StandardCharsets.UTF_8));
        byte[] salt = Arrays.copyOf(seed, ScramCredentials.SALT_LENGTH);
        // Keys derived from the seed too, so nothing about them depends on timing or randomness;
        // their values are irrelevant because ScramServer fails decoy exchanges unconditionally.
        byte[] storedKey = algorithm.hmac(seed, "decoy stored key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = algorithm.hmac(seed, "decoy server key".getBytes(StandardCharsets.US_ASCII));
        return new ScramCredentials(algorithm, salt, iterations, storedKey, serverKey);
    }
}
