package io.aviary.xep0191;

/**
 * Tells the other instances that an account's block list changed, so that their {@link CachingBlockListStore}s
 * forget it. One process needs nobody told ({@link #NONE}); a cluster publishes on Redis.
 */
@FunctionalInterface
public interface BlockListChanges {

    BlockListChanges NONE = username -> { };

    /** Announces that {@code username}'s list was written; must not throw (the write itself is done). */
    void changed(String username);
}
