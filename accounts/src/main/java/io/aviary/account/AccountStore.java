package io.aviary.account;

import io.aviary.xmpp.sasl.CredentialLookup;
import io.aviary.xmpp.sasl.ScramCredentials;
import java.util.List;

/**
 * Accounts of the served domain, keyed by normalised localpart. Only SCRAM salted keys are kept,
 * one set per algorithm; the password itself is never stored (design.md, "Durable state").
 */
public interface AccountStore extends CredentialLookup {

    boolean exists(String username);

    /** Creates the account with credentials for every SCRAM algorithm; false if it already exists. */
    boolean create(String username, List<ScramCredentials> credentials);

    /** Replaces the credentials; false if there is no such account. */
    boolean setCredentials(String username, List<ScramCredentials> credentials);

    /** Removes the account; false if there was none. */
    boolean delete(String username);

    List<String> usernames();
}
