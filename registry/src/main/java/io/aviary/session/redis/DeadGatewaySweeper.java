package io.aviary.session.redis;

import io.aviary.session.SessionEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Ends the sessions of gateways that stopped beating (design.md: "When it expires, session-service
 * removes that gateway's sessions and broadcasts unavailable presence for them"). Returns what it
 * removed, so the caller can send the unavailable presence; any number of instances may sweep at once,
 * since each gateway's removal is one script and only the first run finds the sessions.
 */
public final class DeadGatewaySweeper {

    private static final Logger log = LoggerFactory.getLogger(DeadGatewaySweeper.class);

    private final StringRedisTemplate redis;

    public DeadGatewaySweeper(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** The sessions removed because their gateway's liveness key had expired. */
    public List<SessionEntry> sweep() {
        Set<String> gateways = redis.opsForSet().members(RegistryKeys.GATEWAYS);
        List<SessionEntry> removed = new ArrayList<>();
        if (gateways == null) {
            return removed;
        }
        for (String gatewayId : gateways) {
            if (Boolean.TRUE.equals(redis.hasKey(RegistryKeys.gatewayAlive(gatewayId)))) {
                continue;
            }
            List<?> flat = redis.execute(RegistryScripts.SWEEP,
                    List.of(RegistryKeys.gatewayAlive(gatewayId), RegistryKeys.gatewaySessions(gatewayId),
                            RegistryKeys.GATEWAYS),
                    gatewayId);
            for (int i = 0; flat != null && i + 1 < flat.size(); i += 2) {
                removed.add(EntryCodec.decode(RedisSessionRegistry.fullJid((String) flat.get(i)), (String) flat.get(i + 1)));
            }
            log.info("gateway {} stopped beating; removed {} of its sessions", gatewayId, flat == null ? 0 : flat.size() / 2);
        }
        return removed;
    }
}
