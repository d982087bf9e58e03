package io.aviary.xep0215;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jxmpp.jid.EntityBareJid;

/**
 * Time-limited TURN credentials of the TURN REST API (draft-uberti-behave-turn-rest-00 §2.2), which coturn checks
 * with {@code use-auth-secret}: the username is {@code <expiry in Unix seconds>:<bare JID>} and the password
 * {@code base64(HMAC-SHA1(secret, username))}. The TURN server needs no call to this server: it recomputes the
 * password from the username and refuses it once the expiry has passed.
 */
public final class TurnCredentials {

    private final Clock clock;
    private final Duration ttl;

    public TurnCredentials(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Credentials for {@code account} at a service with {@code secret}, valid for the configured time from now. */
    public Credential issue(String secret, EntityBareJid account) {
        // Whole seconds: the username carries Unix seconds, and the expires attribute says the same instant.
        Instant expires = Instant.ofEpochSecond(clock.instant().plus(ttl).getEpochSecond());
        String username = expires.getEpochSecond() + ":" + account;
        return new Credential(username, password(secret, username), expires);
    }

    static String password(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every Java platform", e);
        }
    }

    /**
     * @param expires when the TURN server stops accepting them: the {@code expires} attribute (XEP-0082 DateTime, UTC)
     */
    public record Credential(String username, String password, Instant expires) {

        @Override
        public String toString() {
            return "Credential[username=" + username + ", password=******, expires=" + expires + "]";
        }
    }
}
