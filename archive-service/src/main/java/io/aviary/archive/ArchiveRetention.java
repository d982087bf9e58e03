package io.aviary.archive;

import io.aviary.account.AccountStore;
import io.aviary.session.PeriodicTask;
import io.aviary.xep0313.ArchiveStore;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code interval}, on a daemon thread of its own: removes the messages older than {@code max-age}, trims each
 * archive to its newest {@code max-messages-per-user}, and removes the archives and preferences of owners whose account
 * no longer exists (an account removed while this service was down, or on another node). It walks the owners
 * {@value #OWNER_BATCH} at a time and the store deletes in bounded batches, so a run never holds much at once. In a
 * cluster every archive service runs it; the deletes are idempotent.
 */
public final class ArchiveRetention extends PeriodicTask {

    static final int OWNER_BATCH = 100;

    private static final Logger log = LoggerFactory.getLogger(ArchiveRetention.class);

    private final ArchiveStore store;
    private final AccountStore accounts;
    private final String domain;
    private final ArchiveProperties.Retention retention;
    private final Clock clock;

    /**
     * @param domain the accounts' domain: the owners on it are accounts; the others are rooms (XEP-0313 archives of
     *               group chats, owned by the room's JID), whose archive goes when the room is destroyed
     *               ({@code Events.ROOM_DESTROYED}), not here, and which the per-user limit does not trim
     */
    public ArchiveRetention(ArchiveStore store, AccountStore accounts, String domain, ArchiveProperties.Retention retention,
                            Clock clock) {
        super("archive-retention", retention.interval());
        this.store = store;
        this.accounts = accounts;
        this.domain = domain;
        this.retention = retention;
        this.clock = clock;
    }

    /** One run; what the scheduler calls every interval. */
    @Override
    public void runOnce() {
        int expired = retention.maxAge() == null ? 0 : store.removeBefore(clock.instant().minus(retention.maxAge()));
        int trimmed = 0;
        int orphaned = 0;
        String after = null;
        List<String> owners;
        do {
            owners = store.owners(after, OWNER_BATCH);
            for (String owner : owners) {
                if (!owner.endsWith("@" + domain)) {
                    continue;
                }
                if (!accounts.exists(localpart(owner))) {
                    orphaned += store.removeOwner(owner);
                } else if (retention.maxMessagesPerUser() > 0) {
                    trimmed += store.trim(owner, retention.maxMessagesPerUser());
                }
            }
            after = owners.isEmpty() ? after : owners.get(owners.size() - 1);
        } while (owners.size() == OWNER_BATCH);
        if (expired + trimmed + orphaned > 0) {
            log.info("Archive retention removed {} messages older than {}, {} beyond the per-user limit, {} of removed accounts",
                    expired, retention.maxAge(), trimmed, orphaned);
        }
    }

    /** The account of an archive owner's bare JID: every archive belongs to an account of the served domain. */
    private static String localpart(String owner) {
        int at = owner.indexOf('@');
        return at < 0 ? owner : owner.substring(0, at);
    }
}
