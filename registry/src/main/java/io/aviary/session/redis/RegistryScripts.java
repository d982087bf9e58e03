package io.aviary.session.redis;

import java.util.List;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The registry's atomic operations, as Lua scripts next to this class. They touch keys of more than one
 * account and gateway, so the registry needs one Redis primary (standalone or Sentinel), not Redis Cluster.
 */
final class RegistryScripts {

    static final RedisScript<String> BIND = script("bind.lua", String.class);
    static final RedisScript<Long> UNBIND = script("unbind.lua", Long.class);
    static final RedisScript<Long> UPDATE_ENTRY = script("update-entry.lua", Long.class);
    static final RedisScript<String> RESUME = script("resume.lua", String.class);
    static final RedisScript<Long> DIRECTED_PRESENCE = script("directed-presence.lua", Long.class);
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> TAKE_DIRECTED_PRESENCE = script("take-directed-presence.lua", List.class);
    static final RedisScript<Long> HEARTBEAT = script("heartbeat.lua", Long.class);
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> SWEEP = script("sweep.lua", List.class);

    // The resumption store's scripts (RedisResumptionStore).
    static final RedisScript<Long> SM_OPEN = script("sm-open.lua", Long.class);
    static final RedisScript<Long> SM_APPEND = script("sm-append.lua", Long.class);
    static final RedisScript<Long> SM_ACKNOWLEDGE = script("sm-acknowledge.lua", Long.class);
    static final RedisScript<Long> SM_HANDLED = script("sm-handled.lua", Long.class);
    static final RedisScript<Long> SM_DISCARD = script("sm-discard.lua", Long.class);
    static final RedisScript<Long> SM_HIBERNATE = script("sm-hibernate.lua", Long.class);
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> SM_CLAIM = script("sm-claim.lua", List.class);
    @SuppressWarnings("rawtypes")
    static final RedisScript<List> SM_EXPIRED = script("sm-expired.lua", List.class);
    static final RedisScript<Long> SM_CLOSE = script("sm-close.lua", Long.class);

    private RegistryScripts() {
    }

    private static <T> RedisScript<T> script(String name, Class<T> resultType) {
        return RedisScript.of(new ClassPathResource(name, RegistryScripts.class), resultType);
    }
}
