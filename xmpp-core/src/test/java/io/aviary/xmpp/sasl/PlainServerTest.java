package io.aviary.xmpp.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.impl.JidCreate;

class PlainServerTest {

    private static final DomainBareJid DOMAIN = JidCreate.domainBareFromOrThrowUnchecked("example.org");
    private static final DecoyCredentials DECOYS = new DecoyCredentials(new byte[32], 64);

    private final InMemoryCredentials store = new InMemoryCredentials().addAll("juliet", "r0m30myr0m30", 64);

    private PlainServer server() {
        return new PlainServer(store, DOMAIN, DECOYS);
    }

    private static byte[] message(String text) {
        return text.getBytes(UTF_8);
    }

    private static void assertFails(ThrowingCallable call, SaslFailureCondition condition) {
        assertThatThrownBy(call).isInstanceOfSatisfying(SaslFailure.class,
                failure -> assertThat(failure.condition()).isEqualTo(condition));
    }

    @Test
    void rightPasswordSucceedsWithoutAdditionalData() throws SaslFailure {
        PlainServer server = server();
        SaslStep step = server.evaluate(message("\0juliet\0r0m30myr0m30"));
        assertThat(step.complete()).isTrue();
        assertThat(step.data()).isNull();
        assertThat(server.isComplete()).isTrue();
        assertThat(server.name()).isEqualTo("PLAIN");
        assertThat(server.authenticatedUsername()).isEqualTo("juliet");
        assertThat(server.authorizationId()).isEmpty();
        assertThat(store.lookedUp).containsExactly("juliet"); // SHA-256 found first
    }

    @ParameterizedTest
    @EnumSource(ScramAlgorithm.class)
    void verifiesAgainstWhicheverCredentialsExist(ScramAlgorithm only) throws SaslFailure {
        InMemoryCredentials single = new InMemoryCredentials()
                .add("juliet", ScramCredentials.create(only, "r0m30myr0m30", 32, new SecureRandom()));
        PlainServer server = new PlainServer(single, DOMAIN, DECOYS);
        assertThat(server.evaluate(message("\0juliet\0r0m30myr0m30")).complete()).isTrue();
        assertFails(() -> new PlainServer(single, DOMAIN, DECOYS).evaluate(message("\0juliet\0wrong")),
                SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void usernameAndPasswordAreNormalised() throws SaslFailure {
        store.addAll("romeo", "\u00C5se", 64);
        PlainServer server = server();
        server.evaluate(message("\0Romeo\0A\u030Ase"));
        assertThat(server.authenticatedUsername()).isEqualTo("romeo");
    }

    @Test
    void noInitialResponseGetsAnEmptyChallenge() throws SaslFailure {
        PlainServer server = server();
        SaslStep challenge = server.evaluate(null);
        assertThat(challenge.complete()).isFalse();
        assertThat(challenge.data()).isEmpty();
        assertThat(server.evaluate(message("\0juliet\0r0m30myr0m30")).complete()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"juliet@example.org", "JULIET@example.org"})
    void ownBareJidAsAuthzidIsAccepted(String authzid) throws SaslFailure {
        PlainServer server = server();
        server.evaluate(message(authzid + "\0juliet\0r0m30myr0m30"));
        assertThat(server.authorizationId()).contains("juliet@example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"romeo@example.org", "juliet@example.org/balcony", "juliet", "x@@y"})
    void otherAuthzidIsInvalid(String authzid) {
        PlainServer server = server();
        assertFails(() -> server.evaluate(message(authzid + "\0juliet\0r0m30myr0m30")), SaslFailureCondition.INVALID_AUTHZID);
        assertThat(server.isComplete()).isFalse();
    }

    @Test
    void wrongAuthzidWithWrongPasswordSaysOnlyNotAuthorized() {
        assertFails(() -> server().evaluate(message("romeo@example.org\0juliet\0wrong")), SaslFailureCondition.NOT_AUTHORIZED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\0juliet\0wrong", "\0juliet\0R0M30MYR0M30", "\0romeo\0r0m30myr0m30",
            "\0juliet\0bell\u0007", "\0jul@iet\0r0m30myr0m30"})
    void wrongCredentialsAreNotAuthorized(String text) {
        PlainServer server = server();
        assertFails(() -> server.evaluate(message(text)), SaslFailureCondition.NOT_AUTHORIZED);
        assertThatThrownBy(server::authenticatedUsername).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> server.evaluate(message("\0juliet\0r0m30myr0m30"))).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "juliet r0m30myr0m30", "juliet\0r0m30myr0m30", "\0\0juliet\0r0m30myr0m30",
            "\0juliet\0r0m30\0myr0m30", "\0\0r0m30myr0m30", "\0juliet\0", "\0\0"})
    void malformedMessages(String text) {
        assertFails(() -> server().evaluate(message(text)), SaslFailureCondition.MALFORMED_REQUEST);
    }

    @Test
    void nonUtf8IsMalformed() {
        byte[] badPassword = {0, 'j', 'u', 'l', 'i', 'e', 't', 0, (byte) 0xC0, (byte) 0xAF};
        assertFails(() -> server().evaluate(badPassword), SaslFailureCondition.MALFORMED_REQUEST);
        byte[] badUser = {0, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 0, 'x'}; // encoded surrogate
        assertFails(() -> server().evaluate(badUser), SaslFailureCondition.MALFORMED_REQUEST);
    }

    @Test
    void emptyInitialResponseIsMalformed() throws SaslFailure {
        assertFails(() -> server().evaluate(new byte[0]), SaslFailureCondition.MALFORMED_REQUEST);
        PlainServer server = server();
        server.evaluate(null);
        assertFails(() -> server.evaluate(null), SaslFailureCondition.MALFORMED_REQUEST);
    }

    @Test
    void storeErrorsAreTemporary() {
        PlainServer server = new PlainServer((user, algorithm) -> {
            throw new IllegalStateException("down");
        }, DOMAIN, DECOYS);
        assertFails(() -> server.evaluate(message("\0juliet\0r0m30myr0m30")), SaslFailureCondition.TEMPORARY_AUTH_FAILURE);
        PlainServer empty = new PlainServer((user, algorithm) -> Optional.empty(), DOMAIN, DECOYS);
        assertFails(() -> empty.evaluate(message("\0juliet\0r0m30myr0m30")), SaslFailureCondition.NOT_AUTHORIZED);
    }

    @Test
    void parsedMessageDoesNotPrintThePassword() throws SaslFailure {
        PlainServer.Message parsed = PlainServer.Message.parse(message("a@b\0juliet\0s3cr3t"));
        assertThat(parsed.authzid()).isEqualTo("a@b");
        assertThat(parsed.authcid()).isEqualTo("juliet");
        assertThat(parsed.password()).isEqualTo("s3cr3t");
        assertThat(parsed.toString()).doesNotContain("s3cr3t");
    }
}
