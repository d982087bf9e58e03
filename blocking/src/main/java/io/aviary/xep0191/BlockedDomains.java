package io.aviary.xep0191;

import java.util.List;
import java.util.Set;

/**
 * Remote domains the operators blocked for the whole server (from an abuse report, XEP-0377): no stanza from or to
 * them is routed ({@link BlockingFilter}), whichever account sends or receives it. Kept as the block list of the owner
 * {@value #OWNER}, which no account can be (a username never contains '@', RFC 7622 §3.3.1), so it shares the block
 * lists' store, their cache in every instance and their change notices: a block made on the admin tier reaches every
 * router at once.
 */
public final class BlockedDomains {

    public static final String OWNER = "@server";

    private final BlockListStore store;

    public BlockedDomains(BlockListStore store) {
        this.store = store;
    }

    public Set<String> domains() {
        return store.blocked(OWNER);
    }

    public void block(String domain) {
        store.block(OWNER, List.of(domain));
    }

    /** False when the domain was not blocked. */
    public boolean unblock(String domain) {
        if (!store.blocked(OWNER).contains(domain)) {
            return false;
        }
        store.unblock(OWNER, List.of(domain));
        return true;
    }

    BlockList list() {
        return new BlockList(store.blocked(OWNER));
    }
}
