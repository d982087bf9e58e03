package io.aviary.xmpp.sasl;

import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/**
 * Server side of PLAIN (RFC 4616), verified against stored SCRAM credentials so that the server
 * never keeps passwords: the password is run through the same derivation with the stored salt and
 * iteration count and the resulting StoredKey compared. Sends the password in clear inside the
 * stream, so it must only be offered over TLS — the caller's policy (see {@link SaslMechanisms}).
 */
public final class PlainServer implements SaslServerMechanism {

    public static final String NAME = "PLAIN";

    /** Which stored credentials to verify against, first found wins. */
    private static final List<ScramAlgorithm> PREFERENCE =
            List.of(ScramAlgorithm.SHA_256, ScramAlgorithm.SHA_512, ScramAlgorithm.SHA_1);

    private final CredentialLookup lookup;
    private final DomainBareJid domain;
    private final DecoyCredentials decoys;

    private boolean started;
    private boolean done;
    private String username;
    private Optional<String> authorizationId = Optional.empty();

    public PlainServer(CredentialLookup lookup, DomainBareJid domain, DecoyCredentials decoys) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.domain = Objects.requireNonNull(domain, "domain");
        this.decoys = Objects.requireNonNull(decoys, "decoys");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SaslStep evaluate(byte[] clientResponse) throws SaslFailure {
        if (done) {
            throw new IllegalStateException("PLAIN exchange already finished");
        }
        if (clientResponse == null && !started) {
            // RFC 4616 §2: PLAIN is client-first; without an initial response the server sends an
            // empty challenge and the message follows in the response.
            started = true;
            return SaslStep.challenge(new byte[0]);
        }
        started = true;
        done = true; // one message decides; a failed PLAIN exchange cannot be continued
        Message message = Message.parse(clientResponse);
        String user = Usernames.normalize(message.authcid());
        if (!verify(user, message.password())) {
            throw new SaslFailure(SaslFailureCondition.NOT_AUTHORIZED, "wrong password or unknown user");
        }
        authorizationId = AuthorizationIdentity.check(message.authzid(), user, domain);
        username = user;
        return SaslStep.success();
    }

    private boolean verify(String user, String password) throws SaslFailure {
        ScramCredentials stored = null;
        try {
            for (ScramAlgorithm algorithm : PREFERENCE) {
                Optional<ScramCredentials> found = lookup.scram(user, algorithm);
                if (found != null && found.isPresent() && found.get().algorithm() == algorithm) {
                    stored = found.get();
                    break;
                }
            }
        } catch (RuntimeException e) {
            throw new SaslFailure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE, "credential lookup failed", e);
        }
        // Unknown users still pay for one derivation, so response time does not tell them apart.
        ScramCredentials expected = stored != null ? stored : decoys.forUser(user, ScramAlgorithm.SHA_256);
        ScramCredentials actual;
        try {
            actual = ScramCredentials.derive(expected.algorithm(), password, expected.salt(), expected.iterations());
        } catch (IllegalArgumentException e) {
            // Not a valid OpaqueString (control characters, ...): no stored password can match it.
            return false;
        }
        return MessageDigest.isEqual(actual.storedKey(), expected.storedKey()) && stored != null;
    }

    @Override
    public boolean isComplete() {
        return username != null;
    }

    @Override
    public String authenticatedUsername() {
        requireSuccess();
        return username;
    }

    @Override
    public Optional<String> authorizationId() {
        requireSuccess();
        return authorizationId;
    }

    private void requireSuccess() {
        if (username == null) {
            throw new IllegalStateException("PLAIN exchange has not succeeded");
        }
    }

    /**
     * RFC 4616 §2: {@code message = [authzid] UTF8NUL authcid UTF8NUL passwd}, where authcid and
     * passwd are 1*SAFE (no NUL) and authzid, if present, too. Exactly two NULs, then.
     */
    record Message(String authzid, String authcid, String password) {

        @Override
        public String toString() {
            return "PlainMessage[authzid=" + authzid + ", authcid=" + authcid + ", password=<redacted>]";
        }

        static Message parse(byte[] bytes) throws SaslFailure {
            if (bytes == null || bytes.length == 0) {
                throw malformed("empty PLAIN message");
            }
            int first = indexOfNul(bytes, 0);
            int second = first < 0 ? -1 : indexOfNul(bytes, first + 1);
            if (second < 0 || indexOfNul(bytes, second + 1) >= 0) {
                throw malformed("PLAIN message must contain exactly two NUL separators");
            }
            // Decode each field on its own: NUL is a single byte in UTF-8 and never part of a
            // multi-byte sequence, so splitting before decoding is safe.
            String authzid = Utf8.decode(bytes, 0, first);
            String authcid = Utf8.decode(bytes, first + 1, second - first - 1);
            String password = Utf8.decode(bytes, second + 1, bytes.length - second - 1);
            if (authcid.isEmpty() || password.isEmpty()) {
                throw malformed("PLAIN authcid and password must not be empty");
            }
            return new Message(authzid.isEmpty() ? null : authzid, authcid, password);
        }

        private static int indexOfNul(byte[] bytes, int from) {
            for (int i = from; i < bytes.length; i++) {
                if (bytes[i] == 0) {
                    return i;
                }
            }
            return -1;
        }

        private static SaslFailure malformed(String message) {
            return new SaslFailure(SaslFailureCondition.MALFORMED_REQUEST, message);
        }
    }
}
