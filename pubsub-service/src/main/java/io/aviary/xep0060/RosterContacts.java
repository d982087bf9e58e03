package io.aviary.xep0060;

import java.util.List;

/**
 * What publish-subscribe needs of an account's roster: the presence and roster access models (XEP-0060 §4.5), and PEP's
 * notifications, which follow presence subscriptions (XEP-0163 §4.3).
 */
public interface RosterContacts {

    /** Without a roster: nobody but the account itself. */
    RosterContacts NONE = new RosterContacts() {
        @Override
        public boolean receivesPresence(String owner, String contact) {
            return false;
        }

        @Override
        public boolean inRoster(String owner, String contact, List<String> groups) {
            return false;
        }

        @Override
        public List<String> presenceSubscribers(String owner) {
            return List.of();
        }
    };

    /** Whether the contact has a subscription to the owner's presence (from or both, RFC 6121 §2.1.2.1). */
    boolean receivesPresence(String owner, String contact);

    /**
     * Whether the owner's roster lists the contact in one of {@code groups}, or at all when none are named (the roster
     * access model, XEP-0060 §4.5, with {@code pubsub#roster_groups_allowed}).
     */
    boolean inRoster(String owner, String contact, List<String> groups);

    /** The bare JIDs with a subscription to the owner's presence. */
    List<String> presenceSubscribers(String owner);
}
