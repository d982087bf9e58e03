package io.aviary.session.redis;

import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;

/**
 * The key layout of design.md ("Registry (Redis)"), plus the per-account state the roster service keeps
 * next to it. The Lua scripts next to this class build the same {@code sess:}, {@code gw:}, {@code pres:}
 * and {@code roster:} keys for JIDs and gateways they only learn from stored values.
 *
 * <ul>
 *   <li>{@code sess:{bareJid}}: hash resource → encoded entry ({@link EntryCodec}), with a TTL</li>
 *   <li>{@code gw:{id}:sessions}: set of the full JIDs bound through gateway {@code id}, with a TTL</li>
 *   <li>{@code gw:{id}:alive}: present while gateway {@code id} sends heartbeats</li>
 *   <li>{@code gateways}: set of the gateway ids that sent a heartbeat and were not swept since</li>
 *   <li>{@code sess:changed}: pub/sub channel carrying the bare JID of every change</li>
 *   <li>{@code pres:{bareJid}}: hash resource → last available presence, kept by the roster service's presence
 *       store, with a TTL</li>
 *   <li>{@code roster:{bareJid}:interested}: set of the resources that requested the roster (RFC 6121 §2.1.6),
 *       kept by the roster service, with a TTL</li>
 *   <li>{@code block:changed}: pub/sub channel carrying the username of every XEP-0191 block list change, for
 *       the caches of the roster service's block lists (the lists themselves are in the database)</li>
 *   <li>{@code sm:{id}}: hash of XEP-0198 resumable session {@code id} ({@link RedisResumptionStore}): {@code jid},
 *       {@code id}, {@code gw}, {@code conn}, {@code max} (ms), {@code maxq}, {@code ttl} (ms), {@code last} (position),
 *       {@code ackh}, {@code acka}, {@code in}; {@code until} (ms since the epoch) while hibernated; {@code reaped}
 *       once handed to a reaper. TTL: the session's maximum resumption time plus a margin, refreshed by every
 *       write</li>
 *   <li>{@code sm:{id}:queue}: sorted set of the unacknowledged stanzas, member {@code "<position> <xml>"} scored by
 *       position, with the same TTL</li>
 *   <li>{@code dp:{bareJid}:resource}: set of the JIDs the session of that full JID sent directed available presence
 *       to (RFC 6121 §4.6.2), owed unavailable presence when it ends; the account's TTL, extended with it</li>
 *   <li>{@code sm:hibernated}: sorted set of the hibernated sessions' ids scored by their deadline (ms since the
 *       epoch), from which the reapers take the expired ones</li>
 * </ul>
 *
 * A gateway's heartbeat extends the TTL of every per-account key of the accounts it holds sessions for, so
 * the state of a long-online user outlives the session TTL while a partitioned one ages out.
 */
public final class RegistryKeys {

    static final String GATEWAYS = "gateways";
    /** Pub/sub channel on which every write announces the bare JID whose sessions changed. */
    static final String CHANGES = "sess:changed";
    /** Pub/sub channel on which every block list write announces the username whose list changed. */
    public static final String BLOCK_LIST_CHANGES = "block:changed";

    /** Prefix of the keys holding each service's capability declarations ({@link RedisCapabilityCatalogue}). */
    static final String CAPABILITIES = "capabilities:";

    private RegistryKeys() {
    }

    static String account(EntityBareJid bareJid) {
        return "sess:{" + bareJid + "}";
    }

    /** The targets of the directed presence of the session bound to {@code jid}. */
    static String directedPresence(EntityFullJid jid) {
        return "dp:{" + jid.asEntityBareJidString() + "}:" + jid.getResourcepart();
    }

    static String gatewaySessions(String gatewayId) {
        return "gw:{" + gatewayId + "}:sessions";
    }

    static String resumption(String id) {
        return "sm:{" + id + "}";
    }

    static String resumptionQueue(String id) {
        return "sm:{" + id + "}:queue";
    }

    static final String HIBERNATED = "sm:hibernated";

    static String gatewayAlive(String gatewayId) {
        return "gw:{" + gatewayId + "}:alive";
    }

    /** The last available presence of each resource of {@code bareJid}. */
    public static String presence(EntityBareJid bareJid) {
        return "pres:{" + bareJid + "}";
    }

    /** The resources of {@code bareJid} that get roster pushes. */
    public static String rosterInterest(EntityBareJid bareJid) {
        return "roster:{" + bareJid + "}:interested";
    }
}
