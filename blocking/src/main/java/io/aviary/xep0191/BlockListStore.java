package io.aviary.xep0191;

import java.util.Collection;
import java.util.Set;

/** The JIDs each account blocks, as normalised JID strings (XEP-0191). */
public interface BlockListStore {

    Set<String> blocked(String username);

    /** Adds JIDs; ones already blocked stay as they are. */
    void block(String username, Collection<String> jids);

    /** Removes JIDs; ones not blocked are ignored. */
    void unblock(String username, Collection<String> jids);

    /** Empties the account's list (unblock all, or account removal). */
    void clear(String username);
}
