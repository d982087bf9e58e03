package io.aviary.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

/**
 * The worked examples of RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256), reproduced
 * byte for byte: user "user", password "pencil", the RFCs' salts, nonces and iteration counts.
 */
class ScramRfcVectorsTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("example.org");

    // RFC 5802 §5
    private static final String SHA1_SALT = "QSXCR+Q6sek8bf92";
    private static final String SHA1_CLIENT_NONCE = "fyko+d2lbbFgONRv9qkxdawL";
    private static final String SHA1_SERVER_NONCE = "3rfcNHYJY1ZVvWVs7j";
    private static final String SHA1_CLIENT_FIRST = "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL";
    private static final String SHA1_SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
    private static final String SHA1_CLIENT_FINAL =
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";
    private static final String SHA1_SERVER_FINAL = "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=";

    // RFC 7677 §3
    private static final String SHA256_SALT = "W22ZaJ0SNY7soEsUEjb6gQ==";
    private static final String SHA256_CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    private static final String SHA256_SERVER_NONCE = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
    private static final String SHA256_CLIENT_FIRST = "n,,n=user,r=rOprNGfwEbeRWgbNEkqO";
    private static final String SHA256_SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    private static final String SHA256_CLIENT_FINAL =
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    private static final String SHA256_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    private static ScramServer server(ScramAlgorithm algorithm, String salt, String serverNonce) {
        ScramCredentials credentials = ScramCredentials.derive(algorithm, "pencil", Base64.getDecoder().decode(salt), 4096);
        CredentialLookup lookup = new InMemoryCredentials().add("user", credentials);
        return new ScramServer(algorithm, false, lookup, DOMAIN, ChannelBindings.none(),
                DecoyCredentials.perProcess(), () -> serverNonce);
    }

    @Test
    void rfc5802ScramSha1ExchangeIsReproducedExactly() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_1, SHA1_SALT, SHA1_SERVER_NONCE);

        SaslStep first = server.evaluate(SHA1_CLIENT_FIRST.getBytes(UTF_8));
        assertThat(first.complete()).isFalse();
        assertThat(new String(first.data(), UTF_8)).isEqualTo(SHA1_SERVER_FIRST);

        SaslStep last = server.evaluate(SHA1_CLIENT_FINAL.getBytes(UTF_8));
        assertThat(last.complete()).isTrue();
        assertThat(new String(last.data(), UTF_8)).isEqualTo(SHA1_SERVER_FINAL);
        assertThat(server.isComplete()).isTrue();
        assertThat(server.authenticatedUsername()).isEqualTo("user");
        assertThat(server.authorizationId()).isEmpty();
        assertThat(server.name()).isEqualTo("SCRAM-SHA-1");
    }

    @Test
    void rfc7677ScramSha256ExchangeIsReproducedExactly() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256, SHA256_SALT, SHA256_SERVER_NONCE);

        SaslStep first = server.evaluate(SHA256_CLIENT_FIRST.getBytes(UTF_8));
        assertThat(new String(first.data(), UTF_8)).isEqualTo(SHA256_SERVER_FIRST);

        SaslStep last = server.evaluate(SHA256_CLIENT_FINAL.getBytes(UTF_8));
        assertThat(last.complete()).isTrue();
        assertThat(new String(last.data(), UTF_8)).isEqualTo(SHA256_SERVER_FINAL);
        assertThat(server.authenticatedUsername()).isEqualTo("user");
        assertThat(server.name()).isEqualTo("SCRAM-SHA-256");
    }

    @Test
    void withoutInitialResponseTheServerSendsAnEmptyChallengeFirst() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_1, SHA1_SALT, SHA1_SERVER_NONCE);

        SaslStep empty = server.evaluate(null);
        assertThat(empty.complete()).isFalse();
        assertThat(empty.data()).isEmpty();

        assertThat(new String(server.evaluate(SHA1_CLIENT_FIRST.getBytes(UTF_8)).data(), UTF_8))
                .isEqualTo(SHA1_SERVER_FIRST);
        assertThat(new String(server.evaluate(SHA1_CLIENT_FINAL.getBytes(UTF_8)).data(), UTF_8))
                .isEqualTo(SHA1_SERVER_FINAL);
    }

    @Test
    void testClientComputesTheRfcProofs() {
        TestScramClient sha1 = new TestScramClient(ScramAlgorithm.SHA_1, "user", "pencil", SHA1_CLIENT_NONCE);
        assertThat(sha1.clientFirst()).isEqualTo(SHA1_CLIENT_FIRST);
        assertThat(sha1.clientFinal(SHA1_SERVER_FIRST)).isEqualTo(SHA1_CLIENT_FINAL);
        assertThat(sha1.verifyServerFinal(SHA1_SERVER_FINAL)).isTrue();

        TestScramClient sha256 = new TestScramClient(ScramAlgorithm.SHA_256, "user", "pencil", SHA256_CLIENT_NONCE);
        assertThat(sha256.clientFirst()).isEqualTo(SHA256_CLIENT_FIRST);
        assertThat(sha256.clientFinal(SHA256_SERVER_FIRST)).isEqualTo(SHA256_CLIENT_FINAL);
        assertThat(sha256.verifyServerFinal(SHA256_SERVER_FINAL)).isTrue();
    }

    @Test
    void derivedKeysMatchTheHandWrittenDefinitions() {
        byte[] salt = Base64.getDecoder().decode(SHA256_SALT);
        ScramCredentials credentials = ScramCredentials.derive(ScramAlgorithm.SHA_256, "pencil", salt, 4096);
        byte[] saltedPassword = TestScramClient.referenceSaltedPassword(
                ScramAlgorithm.SHA_256, "pencil".getBytes(UTF_8), salt, 4096);
        byte[] clientKey = TestScramClient.referenceHmac(ScramAlgorithm.SHA_256, saltedPassword, "Client Key".getBytes(UTF_8));
        assertThat(credentials.storedKey()).isEqualTo(TestScramClient.referenceHash(ScramAlgorithm.SHA_256, clientKey));
        assertThat(credentials.serverKey())
                .isEqualTo(TestScramClient.referenceHmac(ScramAlgorithm.SHA_256, saltedPassword, "Server Key".getBytes(UTF_8)));
        assertThat(credentials.iterations()).isEqualTo(ScramCredentials.DEFAULT_ITERATIONS);
    }
}
