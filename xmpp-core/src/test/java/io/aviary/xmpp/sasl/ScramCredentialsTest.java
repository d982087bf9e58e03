package io.aviary.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScramCredentialsTest {

    private static final byte[] SALT = Base64.getDecoder().decode("QSXCR+Q6sek8bf92");

    private static byte[] referenceStoredKey(ScramAlgorithm algorithm, String password, byte[] salt, int iterations) {
        byte[] saltedPassword = TestScramClient.referenceSaltedPassword(algorithm, password.getBytes(UTF_8), salt, iterations);
        return TestScramClient.referenceHash(algorithm,
                TestScramClient.referenceHmac(algorithm, saltedPassword, "Client Key".getBytes(UTF_8)));
    }

    /**
     * JCA PBKDF2 takes a char[]; RFC 5802 wants Hi over the UTF-8 bytes. Non-ASCII passwords,
     * including a supplementary character (surrogate pair in Java), must give the same keys as a
     * hand-written Hi over UTF-8 — this is what catches a Latin-1 or UTF-16 conversion.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pencil", "pässwörd", "пароль", "密码", "\uD83D\uDE00 smile", "tab\u00A0space"})
    void derivationUsesUtf8LikeTheRfcRequires(String password) {
        for (ScramAlgorithm algorithm : ScramAlgorithm.values()) {
            ScramCredentials derived = ScramCredentials.derive(algorithm, password, SALT, 64);
            String normalized = password.replace('\u00A0', ' ');
            assertThat(derived.storedKey())
                    .as("%s / %s", algorithm, password)
                    .isEqualTo(referenceStoredKey(algorithm, normalized, SALT, 64));
        }
    }

    @Test
    void passwordsAreNormalisedWithOpaqueString() {
        // NFD "A" + combining ring equals precomposed "Å" after NFC; non-ASCII space maps to U+0020.
        ScramCredentials precomposed = ScramCredentials.derive(ScramAlgorithm.SHA_256, "\u00C5se", SALT, 16);
        ScramCredentials decomposed = ScramCredentials.derive(ScramAlgorithm.SHA_256, "A\u030Ase", SALT, 16);
        assertThat(decomposed).isEqualTo(precomposed);
        assertThat(ScramCredentials.derive(ScramAlgorithm.SHA_256, "a\u2003b", SALT, 16))
                .isEqualTo(ScramCredentials.derive(ScramAlgorithm.SHA_256, "a b", SALT, 16));
        assertThat(ScramCredentials.derive(ScramAlgorithm.SHA_256, "pencil", SALT, 16))
                .isNotEqualTo(ScramCredentials.derive(ScramAlgorithm.SHA_256, "Pencil", SALT, 16));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "bell\u0007", "nul\u0000x"})
    void invalidPasswordsAreRejected(String password) {
        assertThatThrownBy(() -> ScramCredentials.derive(ScramAlgorithm.SHA_1, password, SALT, 16))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> ScramCredentials.derive(ScramAlgorithm.SHA_1, "pencil", new byte[0], 16))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramCredentials.derive(ScramAlgorithm.SHA_1, "pencil", SALT, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScramCredentials(ScramAlgorithm.SHA_256, SALT, 4096, new byte[20], new byte[20]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ScramCredentials(null, SALT, 4096, new byte[20], new byte[20]))
                .isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @EnumSource(ScramAlgorithm.class)
    void createUsesAFreshSaltEveryTime(ScramAlgorithm algorithm) {
        SecureRandom random = new SecureRandom();
        ScramCredentials a = ScramCredentials.create(algorithm, "pencil", 32, random);
        ScramCredentials b = ScramCredentials.create(algorithm, "pencil", 32, random);
        assertThat(a.salt()).hasSize(ScramCredentials.SALT_LENGTH).isNotEqualTo(b.salt());
        assertThat(a.iterations()).isEqualTo(32);
        assertThat(a.algorithm()).isEqualTo(algorithm);
        assertThat(a.storedKey()).hasSize(algorithm.keyLength()).isNotEqualTo(b.storedKey());
        assertThat(a).isEqualTo(ScramCredentials.derive(algorithm, "pencil", a.salt(), 32));
    }

    @Test
    void valueSemanticsAndDefensiveCopies() {
        ScramCredentials a = ScramCredentials.derive(ScramAlgorithm.SHA_1, "pencil", SALT, 16);
        ScramCredentials b = new ScramCredentials(a.algorithm(), a.salt(), a.iterations(), a.storedKey(), a.serverKey());
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(ScramCredentials.derive(ScramAlgorithm.SHA_1, "pencil", SALT, 17));

        byte[] salt = a.salt();
        salt[0] ^= 1;
        byte[] storedKey = a.storedKey();
        storedKey[0] ^= 1;
        assertThat(a).isEqualTo(b);

        byte[] input = SALT.clone();
        ScramCredentials c = new ScramCredentials(ScramAlgorithm.SHA_1, input, 16, a.storedKey(), a.serverKey());
        input[0] ^= 1;
        assertThat(c).isEqualTo(a);
    }

    @Test
    void toStringDoesNotPrintKeys() {
        ScramCredentials a = ScramCredentials.derive(ScramAlgorithm.SHA_256, "pencil", SALT, 16);
        String text = a.toString();
        Base64.Encoder base64 = Base64.getEncoder();
        assertThat(text).contains("SHA_256", "iterations=16")
                .doesNotContain(base64.encodeToString(a.storedKey()))
                .doesNotContain(base64.encodeToString(a.serverKey()))
                .doesNotContain(java.util.HexFormat.of().formatHex(a.storedKey()));
    }

    @Test
    void algorithmNames() {
        assertThat(ScramAlgorithm.SHA_1.mechanismName()).isEqualTo("SCRAM-SHA-1");
        assertThat(ScramAlgorithm.SHA_256.plusMechanismName()).isEqualTo("SCRAM-SHA-256-PLUS");
        assertThat(ScramAlgorithm.SHA_512.mechanismName(true)).isEqualTo("SCRAM-SHA-512-PLUS");
        assertThat(ScramAlgorithm.fromMechanismName("SCRAM-SHA-512-PLUS")).contains(ScramAlgorithm.SHA_512);
        assertThat(ScramAlgorithm.fromMechanismName("scram-sha-1")).isEmpty();
        assertThat(ScramAlgorithm.SHA_512.keyLength()).isEqualTo(64);
    }
}
