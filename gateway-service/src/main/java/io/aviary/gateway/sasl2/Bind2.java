package io.aviary.gateway.sasl2;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Arrays;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/** XEP-0386 §3.2.1: the resource a Bind2 request gets. */
final class Bind2 {

    private static final int TAG_MAX = 64;

    private Bind2() {
    }

    /**
     * {@code [tag]/[server generated identifier]}, the format XEP-0386 recommends, or the identifier alone without a
     * usable tag. With a user-agent id the identifier is derived from the account, the tag and the id, so the same
     * client gets the same resource on every login ("resource identifier stability") and its new session replaces the
     * old one (XEP-0386 §3.2: the server SHOULD end earlier sessions of the same client); it is a hash, since the id
     * "MUST NOT be exposed". Without an id it is random.
     */
    static String resource(String username, String tag, String userAgentId, SecureRandom random) {
        byte[] identifier;
        if (userAgentId != null) {
            identifier = Arrays.copyOf(sha256("bind2\0" + username + "\0" + (tag == null ? "" : tag) + "\0" + userAgentId), 9);
        } else {
            identifier = new byte[9];
            random.nextBytes(identifier);
        }
        String suffix = Base64.getUrlEncoder().withoutPadding().encodeToString(identifier);
        String usableTag = usable(tag);
        return usableTag == null ? suffix : usableTag + "/" + suffix;
    }

    /** The tag if, with a suffix after it, it makes a valid resourcepart; else none (bad input costs only the tag). */
    private static String usable(String tag) {
        if (tag == null) {
            return null;
        }
        String trimmed = tag.strip();
        if (trimmed.isEmpty() || trimmed.length() > TAG_MAX) {
            return null;
        }
        try {
            Resourcepart.from(trimmed + "/x");
            return trimmed;
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    private static byte[] sha256(String input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
