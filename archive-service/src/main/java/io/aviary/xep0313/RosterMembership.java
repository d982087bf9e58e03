package io.aviary.xep0313;

/**
 * Whether a bare JID is in an account's roster: what the XEP-0441 default {@code roster} asks of each message.
 */
@FunctionalInterface
public interface RosterMembership {

    /** Nobody is: without a roster, {@code roster} archives only what {@code always} names. */
    RosterMembership NONE = (owner, contact) -> false;

    /**
     * @param owner   the archive owner's bare JID
     * @param contact the other party's bare JID
     */
    boolean inRoster(String owner, String contact);
}
