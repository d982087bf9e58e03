package io.aviary.xep0163;

import java.util.List;

/** What PEP needs of an account's roster (XEP-0163 §4.3: access and notifications follow presence subscriptions). */
public interface RosterContacts {

    /** Without a roster: nobody but the account itself. */
    RosterContacts NONE = new RosterContacts() {
        @Override
        public boolean receivesPresence(String owner, String contact) {
            return false;
        }

        @Override
        public boolean inRoster(String owner, String contact) {
            return false;
        }

        @Override
        public List<String> presenceSubscribers(String owner) {
            return List.of();
        }
    };

    /** Whether the contact has a subscription to the owner's presence (from or both, RFC 6121 §2.1.2.1). */
    boolean receivesPresence(String owner, String contact);

    /** Whether the owner's roster lists the contact. */
    boolean inRoster(String owner, String contact);

    /** The bare JIDs with a subscription to the owner's presence. */
    List<String> presenceSubscribers(String owner);
}
