package io.aviary.capability;

import java.util.Optional;

/**
 * A capability's durable data, values by owner (usually an account's bare JID, or the domain) and key. In memory for
 * tests, on the server's database otherwise; a capability never knows which.
 */
public interface KeyValueStore {

    Optional<String> get(String owner, String key);

    void put(String owner, String key, String value);

    void delete(String owner, String key);

    /** Drops everything kept for an owner (for example when its account is removed). */
    void deleteOwner(String owner);
}
