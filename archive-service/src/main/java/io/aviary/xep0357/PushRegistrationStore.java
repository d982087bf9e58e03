package io.aviary.xep0357;

import java.util.List;

/** The durable XEP-0357 registrations, by account. */
public interface PushRegistrationStore {

    /**
     * Enables a registration; one for the same owner, service and node is replaced ("the server SHOULD use the last
     * received request for any publish options").
     */
    void enable(PushRegistration registration);

    /** The owner's registrations, in no particular order. */
    List<PushRegistration> registrations(String owner);

    /** Removes the owner's registrations for {@code service} on {@code node}, or on every node when it is null. */
    void disable(String owner, String service, String node);

    /** Removes everything kept for the owner (the account was removed). */
    void removeAll(String owner);
}
