package io.aviary.xmpp.sasl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class HashedTokenServerTest {

    /** Longer than HMAC-SHA-256's 64-byte block, so its SHA-256 hash is an equivalent key (RFC 2104 §2). */
    private static final String TOKEN = "secret-token:fast-" + "x".repeat(64);

    @Test
    void acceptsTheInitiatorHmacOfTheTokenCheckedAgainstItsStoredHash() throws Exception {
        byte[] storedHash = MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8));
        TokenVerifier tokens = (user, mechanism, proves) ->
                user.equals("alice") && proves.test(storedHash) ? Optional.of(storedHash) : Optional.empty();
        SaslServerMechanism server = HashedTokenServer.create(HashedTokenServer.NONE, ChannelBindings.none(), tokens)
                .orElseThrow();

        SaslStep step = server.evaluate(initialResponse("alice", hmac(TOKEN, "Initiator")));

        assertThat(step.complete()).isTrue();
        assertThat(step.data()).isEqualTo(hmac(TOKEN, "Responder"));
        assertThat(server.authenticatedUsername()).isEqualTo("alice");
    }

    @Test
    void refusesAnotherToken() throws Exception {
        byte[] storedHash = MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8));
        TokenVerifier tokens = (user, mechanism, proves) -> proves.test(storedHash) ? Optional.of(storedHash) : Optional.empty();
        SaslServerMechanism server = HashedTokenServer.create(HashedTokenServer.NONE, ChannelBindings.none(), tokens)
                .orElseThrow();

        assertThatThrownBy(() -> server.evaluate(initialResponse("alice", hmac(TOKEN + "y", "Initiator"))))
                .isInstanceOfSatisfying(SaslFailure.class,
                        e -> assertThat(e.condition()).isEqualTo(SaslFailureCondition.NOT_AUTHORIZED));
    }

    @Test
    void channelBoundVariantsNeedTheirBinding() {
        assertThat(HashedTokenServer.offered(ChannelBindings.none())).containsExactly(HashedTokenServer.NONE);
        assertThat(HashedTokenServer.create(HashedTokenServer.ENDP, ChannelBindings.none(), (u, m, p) -> Optional.empty()))
                .isEmpty();
    }

    private static byte[] initialResponse(String user, byte[] hash) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[name.length + 1 + hash.length];
        System.arraycopy(name, 0, out, 0, name.length);
        System.arraycopy(hash, 0, out, name.length + 1, hash.length);
        return out;
    }

    private static byte[] hmac(String key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
