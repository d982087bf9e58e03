package io.aviary.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

class ScramServerTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("example.org");
    private static final int ITERATIONS = 64;
    private static final DecoyCredentials DECOYS = new DecoyCredentials(new byte[32], ITERATIONS);

    private static final byte[] EXPORTER = filled(32, 0x11);
    private static final byte[] END_POINT = filled(32, 0x22);
    private static final ChannelBindings TLS_BINDINGS = ChannelBindings.of(
            ChannelBinding.tlsExporter(EXPORTER), new ChannelBinding(ChannelBinding.TLS_SERVER_END_POINT, END_POINT));

    private final InMemoryCredentials store = new InMemoryCredentials().addAll("juliet", "r0m30myr0m30", ITERATIONS);

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private ScramServer server(ScramAlgorithm algorithm, boolean plus, ChannelBindings bindings) {
        return new ScramServer(algorithm, plus, store, DOMAIN, bindings, new SecureRandom(), DECOYS);
    }

    private ScramServer server(ScramAlgorithm algorithm) {
        return server(algorithm, false, ChannelBindings.none());
    }

    private static TestScramClient client(ScramAlgorithm algorithm, String user, String password) {
        return new TestScramClient(algorithm, user, password, "clientNonce" + System.nanoTime());
    }

    private static String send(SaslServerMechanism server, String message) throws SaslFailure {
        SaslStep step = server.evaluate(message.getBytes(UTF_8));
        return new String(step.data(), UTF_8);
    }

    /** Runs a whole exchange and returns the server-final-message after checking it. */
    private static String exchange(SaslServerMechanism server, TestScramClient client) throws SaslFailure {
        String serverFirst = send(server, client.clientFirst());
        SaslStep last = server.evaluate(client.clientFinal(serverFirst).getBytes(UTF_8));
        assertThat(last.complete()).isTrue();
        String serverFinal = new String(last.data(), UTF_8);
        assertThat(client.verifyServerFinal(serverFinal)).as("server signature").isTrue();
        return serverFinal;
    }

    private static void assertFails(ThrowingCallable call, SaslFailureCondition condition) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SaslFailure.class,
                failure -> assertThat(failure.condition()).isEqualTo(condition));
    }

    // ---- successful exchanges -------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ScramAlgorithm.class)
    void fullExchangeWithoutChannelBinding(ScramAlgorithm algorithm) throws SaslFailure {
        ScramServer server = server(algorithm);
        exchange(server, client(algorithm, "juliet", "r0m30myr0m30"));
        assertThat(server.isComplete()).isTrue();
        assertThat(server.authenticatedUsername()).isEqualTo("juliet");
        assertThat(server.authorizationId()).isEmpty();
    }

    static Stream<Arguments> plusVariants() {
        return Stream.of(ScramAlgorithm.values()).flatMap(algorithm -> Stream.of(
                Arguments.of(algorithm, ChannelBinding.TLS_EXPORTER, EXPORTER),
                Arguments.of(algorithm, ChannelBinding.TLS_SERVER_END_POINT, END_POINT)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("plusVariants")
    void fullExchangeWithChannelBinding(ScramAlgorithm algorithm, String type, byte[] data) throws SaslFailure {
        ScramServer server = server(algorithm, true, TLS_BINDINGS);
        assertThat(server.name()).isEqualTo(algorithm.plusMechanismName());
        exchange(server, client(algorithm, "juliet", "r0m30myr0m30").binding(type, data));
        assertThat(server.authenticatedUsername()).isEqualTo("juliet");
    }

    @Test
    void nonPlusMechanismAcceptsClientsWithoutBindingSupportOnTls() throws SaslFailure {
        exchange(server(ScramAlgorithm.SHA_256, false, TLS_BINDINGS), client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30"));
    }

    @Test
    void yFlagIsFineWhenTheServerHasNoChannelBinding() throws SaslFailure {
        exchange(server(ScramAlgorithm.SHA_256), client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30").flag("y"));
    }

    @Test
    void usernameIsNormalisedBeforeLookup() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        exchange(server, client(ScramAlgorithm.SHA_256, "JuLiet", "r0m30myr0m30"));
        assertThat(server.authenticatedUsername()).isEqualTo("juliet");
        assertThat(store.lookedUp).containsExactly("juliet");
    }

    @Test
    void saslnameEscapesAreDecoded() throws SaslFailure {
        store.addAll("a,b=c", "secret", ITERATIONS);
        ScramServer server = server(ScramAlgorithm.SHA_1);
        TestScramClient client = client(ScramAlgorithm.SHA_1, "a,b=c", "secret");
        assertThat(client.clientFirst()).contains("n=a=2Cb=3Dc,");
        exchange(server, client);
        assertThat(server.authenticatedUsername()).isEqualTo("a,b=c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"juliet@example.org", "Juliet@Example.ORG"})
    void authzidOfTheUsersOwnBareJidIsAccepted(String authzid) throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256, true, TLS_BINDINGS);
        exchange(server, client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30")
                .authzid(authzid).binding(ChannelBinding.TLS_EXPORTER, EXPORTER));
        assertThat(server.authorizationId()).contains("juliet@example.org");
    }

    @Test
    void unknownExtensionsAreIgnored() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        TestScramClient client = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30");
        String serverFirst = send(server, client.clientFirst() + ",x=whatever");
        // The extension is part of client-first-message-bare and so of AuthMessage; a client that
        // signs without it must fail, which shows the server used the message exactly as sent.
        assertFails(() -> server.evaluate(client.clientFinal(serverFirst).getBytes(UTF_8)),
                SaslFailureCondition.NOT_AUTHORIZED);
    }

    // ---- authentication failures ----------------------------------------------------------

    @ParameterizedTest
    @EnumSource(ScramAlgorithm.class)
    void wrongPasswordIsNotAuthorized(ScramAlgorithm algorithm) throws SaslFailure {
        ScramServer server = server(algorithm);
        TestScramClient client = client(algorithm, "juliet", "wrong");
        String serverFirst = send(server, client.clientFirst());
        assertFails(() -> server.evaluate(client.clientFinal(serverFirst).getBytes(UTF_8)),
                SaslFailureCondition.NOT_AUTHORIZED);
        assertThat(server.isComplete()).isFalse();
        assertThatThrownBy(server::authenticatedUsername).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> server.evaluate(new byte[] {'x'})).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void unknownUserLooksLikeAKnownOneUntilTheProofFails() throws SaslFailure {
        TestScramClient known = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30");
        String knownFirst = send(server(ScramAlgorithm.SHA_256), known.clientFirst());

        ScramServer server = server(ScramAlgorithm.SHA_256);
        TestScramClient ghost = client(ScramAlgorithm.SHA_256, "romeo", "r0m30myr0m30");
        String ghostFirst = send(server, ghost.clientFirst());

        // Same shape: r=<client nonce + server nonce>,s=<16-byte salt>,i=<count>.
        assertThat(ghostFirst).matches("r=clientNonce\\d+[A-Za-z0-9+/=]{24},s=[A-Za-z0-9+/=]{24},i=" + ITERATIONS);
        assertThat(knownFirst).matches("r=clientNonce\\d+[A-Za-z0-9+/=]{24},s=[A-Za-z0-9+/=]{24},i=" + ITERATIONS);
        // Same salt on every attempt, as for a real account.
        String again = send(server(ScramAlgorithm.SHA_256), client(ScramAlgorithm.SHA_256, "romeo", "x").clientFirst());
        assertThat(TestScramClient.attribute(again, 's')).isEqualTo(TestScramClient.attribute(ghostFirst, 's'));

        assertFails(() -> server.evaluate(ghost.clientFinal(ghostFirst).getBytes(UTF_8)),
                SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void tamperedNonceIsNotAuthorized() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        TestScramClient client = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30");
        String serverFirst = send(server, client.clientFirst());
        String tampered = TestScramClient.nonceOf(serverFirst) + "x";
        assertFails(() -> server.evaluate(client.clientFinal(serverFirst, client.channelBindingValue(), tampered)
                .getBytes(UTF_8)), SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void clientNonceOnlyIsNotAuthorized() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        TestScramClient client = new TestScramClient(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30", "abc");
        String serverFirst = send(server, client.clientFirst());
        assertFails(() -> server.evaluate(client.clientFinal(serverFirst, client.channelBindingValue(), "abc")
                .getBytes(UTF_8)), SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void channelBindingDataMismatchIsNotAuthorized() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256, true, TLS_BINDINGS);
        // A MITM terminates TLS itself, so the client sees a different exporter value.
        TestScramClient client = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30")
                .binding(ChannelBinding.TLS_EXPORTER, filled(32, 0x33));
        String serverFirst = send(server, client.clientFirst());
        assertFails(() -> server.evaluate(client.clientFinal(serverFirst).getBytes(UTF_8)),
                SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void gs2HeaderMustBeRepeatedUnchangedInCBinding() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        TestScramClient client = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30");
        String serverFirst = send(server, client.clientFirst());
        String yHeader = Base64.getEncoder().encodeToString("y,,".getBytes(UTF_8));
        assertFails(() -> server.evaluate(client.clientFinal(serverFirst, yHeader, TestScramClient.nonceOf(serverFirst))
                .getBytes(UTF_8)), SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void yFlagIsRejectedWhenPlusIsOffered() {
        // RFC 5802 §6: the client saw no -PLUS mechanism, but we offered them: downgrade.
        ScramServer server = server(ScramAlgorithm.SHA_256, false, TLS_BINDINGS);
        TestScramClient client = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30").flag("y");
        assertFails(() -> send(server, client.clientFirst()), SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void unsupportedChannelBindingTypeIsRejected() {
        ScramServer server = server(ScramAlgorithm.SHA_256, true,
                ChannelBindings.of(new ChannelBinding(ChannelBinding.TLS_SERVER_END_POINT, END_POINT)));
        TestScramClient client = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30")
                .binding(ChannelBinding.TLS_EXPORTER, EXPORTER);
        assertFails(() -> send(server, client.clientFirst()), SaslFailureCondition.NOT_AUTHORIZED);
        ScramServer unique = server(ScramAlgorithm.SHA_256, true, TLS_BINDINGS);
        assertFails(() -> send(unique, "p=tls-unique,,n=juliet,r=abc"), SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void bindingWithNonPlusMechanismOrPlusWithoutBindingIsMalformed() {
        ScramServer plain = server(ScramAlgorithm.SHA_256, false, TLS_BINDINGS);
        assertFails(() -> send(plain, "p=tls-exporter,,n=juliet,r=abc"), SaslFailureCondition.MALFORMED_REQUEST);
        ScramServer plusN = server(ScramAlgorithm.SHA_256, true, TLS_BINDINGS);
        assertFails(() -> send(plusN, "n,,n=juliet,r=abc"), SaslFailureCondition.MALFORMED_REQUEST);
        ScramServer plusY = server(ScramAlgorithm.SHA_256, true, TLS_BINDINGS);
        assertFails(() -> send(plusY, "y,,n=juliet,r=abc"), SaslFailureCondition.MALFORMED_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"romeo@example.org", "juliet@capulet.example", "juliet@example.org/balcony",
            "@example.org", "not a jid@@"})
    void foreignOrMalformedAuthzidIsInvalidAuthzid(String authzid) throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        TestScramClient client = client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30").authzid(authzid);
        String serverFirst = send(server, client.clientFirst());
        assertFails(() -> server.evaluate(client.clientFinal(serverFirst).getBytes(UTF_8)),
                SaslFailureCondition.INVALID_AUTHZID);
        assertThat(server.isComplete()).isFalse();
    }

    @Test
    void credentialStoreErrorsAreTemporaryFailures() {
        ScramServer server = new ScramServer(ScramAlgorithm.SHA_256, false, (user, algorithm) -> {
            throw new IllegalStateException("database down");
        }, DOMAIN, ChannelBindings.none(), new SecureRandom(), DECOYS);
        assertFails(() -> send(server, "n,,n=juliet,r=abc"), SaslFailureCondition.TEMPORARY_AUTH_FAILURE);

        ScramCredentials sha1 = ScramCredentials.derive(ScramAlgorithm.SHA_1, "x", new byte[16], 1);
        ScramServer confused = new ScramServer(ScramAlgorithm.SHA_256, false, (user, algorithm) -> Optional.of(sha1),
                DOMAIN, ChannelBindings.none(), new SecureRandom(), DECOYS);
        assertFails(() -> send(confused, "n,,n=juliet,r=abc"), SaslFailureCondition.TEMPORARY_AUTH_FAILURE);
    }

    // ---- malformed messages ---------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {
        "x,,n=juliet,r=abc",             // unknown cbind flag
        "N,,n=juliet,r=abc",             // flags are case-sensitive
        "p=,,n=juliet,r=abc",            // empty cb-name
        "p=tls exporter,,n=juliet,r=abc", // invalid cb-name character
        "n,n=juliet,r=abc",              // authzid slot holds something else
        "n,b=x,n=juliet,r=abc",          // not a=
        "n,a=,n=juliet,r=abc",           // empty authzid
        "n,a=ju=41,n=juliet,r=abc",      // bad saslname escape in authzid
        "F,n,,n=juliet,r=abc",           // GS2 non-standard flag: not SCRAM
        "n",                             // no header at all
        "n,",                            // truncated header
        "n,,",                           // header only
        "n,,r=abc",                      // missing n=
        "n,,n=juliet",                   // missing r=
        "n,,r=abc,n=juliet",             // wrong order
        "n,,n=juliet,r=",                // empty nonce
        "n,,n=juliet,r=a b",             // nonce with space
        "n,,n=juliet,r=a\u007fb",        // nonce with DEL
        "n,,n=juliet,r=abc,,",           // empty attribute
        "n,,n=juliet,r=abc,1=x",         // extension name not ALPHA
        "n,,n=,r=abc",                   // empty username
        "n,,n=jul=iet,r=abc",            // '=' not followed by 2C/3D
        "n,,n=jul=2ciet,r=abc",          // escapes are upper case
        "n,,n=juliet=,r=abc",            // dangling '='
        "n,,n=jul\u0000iet,r=abc",       // NUL
        "n,,m=ext,n=juliet,r=abc",       // unsupported mandatory extension
    })
    void malformedClientFirstMessages(String message) {
        assertFails(() -> send(server(ScramAlgorithm.SHA_256), message), SaslFailureCondition.MALFORMED_REQUEST);
    }

    @Test
    void garbageEmptyAndMissingPayloadsAreMalformed() throws SaslFailure {
        assertFails(() -> server(ScramAlgorithm.SHA_256).evaluate(new byte[0]), SaslFailureCondition.MALFORMED_REQUEST);
        assertFails(() -> server(ScramAlgorithm.SHA_256).evaluate(new byte[] {(byte) 0xC3, (byte) 0x28, ',', ','}),
                SaslFailureCondition.MALFORMED_REQUEST);
        assertFails(() -> server(ScramAlgorithm.SHA_256).evaluate(new byte[] {'n', ',', ',', 'n', '=', (byte) 0xFF}),
                SaslFailureCondition.MALFORMED_REQUEST);
        // After an empty challenge the client must send client-first, not nothing.
        ScramServer server = server(ScramAlgorithm.SHA_256);
        server.evaluate(null);
        assertFails(() -> server.evaluate(null), SaslFailureCondition.MALFORMED_REQUEST);
    }

    @Test
    void invalidLocalpartIsNotAuthorized() {
        assertFails(() -> send(server(ScramAlgorithm.SHA_256), "n,,n=jul@iet,r=abc"), SaslFailureCondition.NOT_AUTHORIZED);
        assertFails(() -> send(server(ScramAlgorithm.SHA_256), "n,,n=" + "j".repeat(1024) + ",r=abc"),
                SaslFailureCondition.NOT_AUTHORIZED);
    }

    static Stream<Arguments> malformedFinals() {
        return Stream.of(
                Arguments.of("", SaslFailureCondition.MALFORMED_REQUEST),
                Arguments.of("garbage", SaslFailureCondition.MALFORMED_REQUEST),
                Arguments.of("c=biws,r=NONCE", SaslFailureCondition.MALFORMED_REQUEST),
                Arguments.of("r=NONCE,c=biws,p=AAAA", SaslFailureCondition.MALFORMED_REQUEST),
                Arguments.of("c=biws,p=AAAA,r=NONCE", SaslFailureCondition.MALFORMED_REQUEST),
                Arguments.of("c=biws,r=NONCE,,p=AAAA", SaslFailureCondition.MALFORMED_REQUEST),
                Arguments.of("c=biws,r=NONCE,p=not*base64", SaslFailureCondition.MALFORMED_REQUEST),
                Arguments.of("c=biws,r=NONCE,p=AAAA", SaslFailureCondition.NOT_AUTHORIZED),   // wrong proof length
                Arguments.of("c=biws,r=NONCE,p=", SaslFailureCondition.NOT_AUTHORIZED),
                Arguments.of("c=bm8=,r=NONCE,p=AAAA", SaslFailureCondition.NOT_AUTHORIZED));  // c= of "no"
    }

    @ParameterizedTest
    @MethodSource("malformedFinals")
    void malformedClientFinalMessages(String template, SaslFailureCondition expected) throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        String serverFirst = send(server, client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30").clientFirst());
        String message = template.replace("NONCE", TestScramClient.nonceOf(serverFirst));
        assertFails(() -> server.evaluate(message.getBytes(UTF_8)), expected);
    }

    @Test
    void nonUtf8ClientFinalIsMalformed() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_256);
        send(server, client(ScramAlgorithm.SHA_256, "juliet", "r0m30myr0m30").clientFirst());
        assertFails(() -> server.evaluate(new byte[] {'c', '=', (byte) 0x80}), SaslFailureCondition.MALFORMED_REQUEST);
    }

    @Test
    void completedExchangeCannotBeContinued() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_1);
        exchange(server, client(ScramAlgorithm.SHA_1, "juliet", "r0m30myr0m30"));
        assertThatThrownBy(() -> server.evaluate(new byte[0])).isInstanceOf(IllegalStateException.class);
        assertThat(server.isComplete()).isTrue();
        assertThat(server.authenticatedUsername()).isEqualTo("juliet");
    }

    @Test
    void usernameIsUnavailableBeforeCompletion() throws SaslFailure {
        ScramServer server = server(ScramAlgorithm.SHA_1);
        send(server, client(ScramAlgorithm.SHA_1, "juliet", "r0m30myr0m30").clientFirst());
        assertThatThrownBy(server::authenticatedUsername).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(server::authorizationId).isInstanceOf(IllegalStateException.class);
    }
}
