package io.aviary.xep0045;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * XEP-0421 occupant ids: HMAC-SHA256 of the occupant's bare JID keyed by the room's own random salt (and the
 * service's optional secret), so an id is the same in every session and on every service instance, differs from room
 * to room (§4: ids must not let two rooms' occupants be linked) and does not reveal the JID.
 */
public final class OccupantIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] secret;

    public OccupantIds(String secret) {
        this.secret = (secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8);
    }

    /** A new room's salt. */
    public static String newSalt() {
        byte[] salt = new byte[24];
        RANDOM.nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    public String of(EntityBareJid room, String salt, BareJid user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = (room + "\n" + salt + "\n").getBytes(StandardCharsets.UTF_8);
            byte[] keyed = new byte[key.length + secret.length];
            System.arraycopy(key, 0, keyed, 0, key.length);
            System.arraycopy(secret, 0, keyed, key.length, secret.length);
            mac.init(new SecretKeySpec(keyed, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(user.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
