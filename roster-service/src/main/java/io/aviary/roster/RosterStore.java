package io.aviary.roster;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Rosters by account (normalised localpart). Every change bumps the account's roster version
 * (XEP-0237), and {@link #update} is atomic per account, so that an account's own request and a
 * contact's subscription stanza, processed on different bus keys, cannot lose each other's change.
 */
public interface RosterStore {

    /** All items of the account, listed or not, with the current version (0 for a roster never changed). */
    Roster roster(String account);

    Optional<RosterItem> item(String account, String contact);

    /**
     * Replaces the item for {@code contact} by what {@code change} returns for the current one
     * (empty when absent); an empty result deletes it. A change that would add an item to a
     * roster already holding {@code maxItems} is refused.
     */
    Update update(String account, String contact, UnaryOperator<Optional<RosterItem>> change, int maxItems);

    /**
     * Keeps the complete stanza of the contact's pending subscription request, to deliver again at the
     * account's logins (RFC 6121 §3.1.3); dropped by the {@link #update} that ends "pending in".
     */
    void keepRequest(String account, String contact, String stanza);

    /** The stanza kept by {@link #keepRequest} while the contact's request is pending. */
    Optional<String> request(String account, String contact);

    /** Removes the whole roster (account deleted). */
    void deleteAll(String account);

    record Roster(long version, List<RosterItem> items) {
        public Roster {
            items = List.copyOf(items);
        }
    }

    /**
     * The outcome of an update.
     *
     * @param before  the item before, if any
     * @param after   the item after, if any
     * @param version the roster version after the update
     * @param refused true when the roster was full and nothing changed
     */
    record Update(Optional<RosterItem> before, Optional<RosterItem> after, long version, boolean refused) {

        public boolean changed() {
            return !refused && !before.equals(after);
        }
    }
}
