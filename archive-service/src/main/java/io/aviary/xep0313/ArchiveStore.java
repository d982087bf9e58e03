package io.aviary.xep0313;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Users' message archives: each owner's messages in the order they were appended (which is the order the archive
 * service consumed them, one owner at a time), with their preferences. In memory for tests, on JDBC (the embedded
 * database standalone, PostgreSQL in a cluster) otherwise; one contract test runs on every implementation.
 */
public interface ArchiveStore {

    /**
     * Adds {@code message} after every message the owner's archive already has; false (and nothing changes) when the
     * archive already has its id, as when the bus delivers a record twice.
     */
    boolean append(ArchivedMessage message);

    /**
     * {@code message} in the form this store appends it, worked out on the caller's thread: the write-behind's callers
     * are the bus's lanes, while its one writer thread appends every owner's records (and falls behind first when the
     * cores are busy). A prepared message is also far fewer objects to keep while it waits than the message's XML
     * tree. By default the message as it is.
     */
    default Prepared prepare(ArchivedMessage message) {
        return new AsGiven(message);
    }

    /** {@link #append(ArchivedMessage)} of a message this store {@link #prepare prepared}. */
    default boolean append(Prepared message) {
        return append(((AsGiven) message).message());
    }

    /**
     * Adds a message this store {@link #prepare prepared}, whose id the owner's archive cannot have yet because its
     * record came from a bus that hands each record over once ({@link io.aviary.bus.StanzaBus#redelivers()}): a store
     * may skip the look-up of the id that {@link #append} makes. By default the same as {@link #append}.
     */
    default void appendNew(Prepared message) {
        append(message);
    }

    /**
     * Appends each of {@code messages}, which this store {@link #prepare prepared}, in their order: as {@link
     * #appendNew} when {@code fresh}, else as {@link #append(Prepared)}. Returns how many were appended; the others'
     * ids were in their archives already. A store that answers each statement over the network sends them together.
     * By default one at a time.
     */
    default int append(List<Prepared> messages, boolean fresh) {
        int appended = 0;
        for (Prepared message : messages) {
            if (fresh) {
                appendNew(message);
                appended++;
            } else if (append(message)) {
                appended++;
            }
        }
        return appended;
    }

    /** A message ready to be appended to the store that {@link #prepare prepared} it (and to no other). */
    interface Prepared {
        String owner();

        String id();
    }

    /** A store's prepared message that is the message itself. */
    record AsGiven(ArchivedMessage message) implements Prepared {
        @Override
        public String owner() {
            return message.owner();
        }

        @Override
        public String id() {
            return message.id();
        }
    }

    /**
     * A page of the owner's messages matching {@code query}.
     *
     * @throws UnknownArchiveIdException when the query's {@code afterId}/{@code beforeId} or the page's
     *                                   {@code after}/{@code before} is not an id in the owner's archive
     */
    Page query(String owner, ArchiveQuery query, PageRequest page);

    Optional<ArchivedMessage> find(String owner, String id);

    /**
     * The owner's newest message with the bare JID {@code withBare} whose {@link ArchivedMessage#clientId()} is
     * {@code clientId}: what a XEP-0424 retraction or XEP-0308 correction in that conversation refers to.
     */
    Optional<ArchivedMessage> findByClientId(String owner, String withBare, String clientId);

    /** Replaces a message with a tombstone (XEP-0424), keeping its id, stamp and place; false when there is no such id. */
    boolean retract(String owner, String id, io.aviary.xmpp.xml.XmlElement tombstone);

    /** The owner's oldest and newest messages (XEP-0313 §6.4 metadata); empty when the archive is empty. */
    Optional<Bounds> bounds(String owner);

    /** Removes the owner's archive and preferences (the account is gone); returns how many messages went. */
    int removeOwner(String owner);

    /** Retention by age: removes every message archived before {@code cutoff}; returns how many. */
    int removeBefore(Instant cutoff);

    /** Retention by size: keeps only the owner's newest {@code keep} messages; returns how many went. */
    int trim(String owner, int keep);

    /** Owners with an archive or preferences, in lexical order after {@code after} (null: from the first), at most {@code limit}. */
    List<String> owners(String after, int limit);

    ArchivePreferences preferences(String owner);

    /**
     * Runs {@code work} (calls on this store) as one write where the store has such a thing: one transaction on a SQL
     * database, which then writes its files once for all of it. The write-behind's batches run this way.
     */
    default void inOneWrite(Runnable work) {
        work.run();
    }

    void savePreferences(String owner, ArchivePreferences preferences);

    /**
     * The bus has given this process a new share of the archive owners (a cluster's rebalance): another instance may
     * have changed their preferences meanwhile, so a store that keeps them in memory forgets them. By default it keeps
     * nothing.
     */
    default void ownersReassigned() {
    }

    /** The first and last message of an archive. */
    record Bounds(ArchivedMessage first, ArchivedMessage last) {
    }
}
