package io.aviary.session.redis;

import io.aviary.session.SessionEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Ends the sessions of gateways that stopped beating (design.md: "When it expires, session-service
 * removes that gateway's sessions and broadcasts unavailable presence for them"), except XEP-0198 resumable ones,
 * which it keeps hibernated for a resumption on another gateway. Returns what it did, so the caller can send the
 * unavailable presence, start the hibernations' clocks and drain the dead gateways' topics; any number of instances
 * may sweep at once, since each gateway's sweep is one script and only the first run finds the sessions.
 */
public final class DeadGatewaySweeper {

    private static final Logger log = LoggerFactory.getLogger(DeadGatewaySweeper.class);

    private final StringRedisTemplate redis;

    public DeadGatewaySweeper(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * What one sweep did.
     *
     * @param gateways   the gateways found dead
     * @param removed    their sessions that ended (entries as they were)
     * @param hibernated their resumable sessions, kept and flagged hibernated (entries as they were before)
     * @param directedPresence the removed sessions' directed presence targets (RFC 6121 §4.6.2), taken from the
     *                   registry: each is owed the session's unavailable presence
     */
    public record Sweep(List<String> gateways, List<SessionEntry> removed, List<SessionEntry> hibernated,
                        Map<EntityFullJid, Set<String>> directedPresence) {

        /** The targets of the removed session's directed presence, empty when it had none. */
        public Set<String> directedPresenceOf(EntityFullJid session) {
            return directedPresence.getOrDefault(session, Set.of());
        }
    }

    public Sweep sweep() {
        Set<String> gateways = redis.opsForSet().members(RegistryKeys.GATEWAYS);
        Sweep sweep = new Sweep(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new HashMap<>());
        if (gateways == null) {
            return sweep;
        }
        for (String gatewayId : gateways) {
            if (Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive(gatewayId)))) {
                continue;
            }
            List<?> flat = redis.execute(RegistryScripts.SWEEP,
                    List.of(RegistryKeys.gatewayAlive(gatewayId), RegistryKeys.gatewaySessions(gatewayId),
                            RegistryKeys.GATEWAYS),
                    gatewayId);
            if (flat == null || flat.isEmpty() || !"swept".equals(flat.get(0))) {
                continue;
            }
            sweep.gateways().add(gatewayId);
            int removed = 0;
            for (int i = 1; i + 3 < flat.size(); i += 4) {
                SessionEntry entry = EntryCodec.decode(RedisSessionRegistry.fullJid((String) flat.get(i)),
                        (String) flat.get(i + 1));
                if ("hibernated".equals(flat.get(i + 2))) {
                    sweep.hibernated().add(entry);
                } else {
                    sweep.removed().add(entry);
                    String targets = (String) flat.get(i + 3);
                    if (!targets.isEmpty()) {
                        sweep.directedPresence().put(entry.jid(), Set.of(targets.split("\t")));
                    }
                    removed++;
                }
            }
            log.info("gateway {} stopped beating; removed {} of its sessions, kept {} resumable ones hibernated",
                    gatewayId, removed, (flat.size() - 1) / 4 - removed);
        }
        return sweep;
    }
}
