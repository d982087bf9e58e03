package io.aviary.xep0054;

import java.util.Optional;

/** One serialized vCard per account, keyed by normalised localpart. */
public interface VCardStore {

    Optional<String> get(String username);

    /** Stores or replaces the account's vCard. */
    void put(String username, String vcard);

    /** Removes the account's vCard; false if it had none. */
    boolean delete(String username);
}
