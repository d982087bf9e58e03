package io.aviary.gateway.stream;

import io.aviary.xmpp.sasl.CredentialLookup;
import io.aviary.xmpp.sasl.SaslFailureCondition;
import io.aviary.xmpp.sasl.ScramAlgorithm;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.util.Optional;

/**
 * One SASL exchange as the {@link LoginThrottle} sees it. The mechanisms name the account only inside their
 * messages, and look its credentials up as soon as they have read it; this lookup is where the account becomes
 * known, so it is where a throttled attempt is refused: the mechanisms turn the exception into
 * {@code temporary-auth-failure} (RFC 6120 §6.5.11) before any password is checked.
 */
public final class LoginAttempt implements CredentialLookup {

    /** The account may not be tried from this address now. */
    static final class Throttled extends RuntimeException {
        Throttled() {
            super("login throttled", null, false, false);
        }
    }

    private final CredentialLookup credentials;
    private final LoginThrottle throttle;
    private final String address;
    private volatile String account;

    public LoginAttempt(CredentialLookup credentials, LoginThrottle throttle, String address) {
        this.credentials = credentials;
        this.throttle = throttle;
        this.address = address;
    }

    @Override
    public Optional<ScramCredentials> scram(String username, ScramAlgorithm algorithm) {
        admit(username);
        return credentials.scram(username, algorithm);
    }

    /** The account the attempt names, for mechanisms that look up no SCRAM credentials (FAST tokens). */
    public void admit(String username) {
        account = username;
        if (!throttle.allows(address, username)) {
            throw new Throttled();
        }
    }

    /**
     * The exchange failed. A temporary failure (throttled, or the store unreachable) says nothing about the
     * password, so it is not counted.
     */
    public void failed(SaslFailureCondition condition) {
        if (condition != SaslFailureCondition.TEMPORARY_AUTH_FAILURE) {
            throttle.failed(address, account);
        }
    }
}
