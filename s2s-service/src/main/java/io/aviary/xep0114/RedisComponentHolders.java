package io.aviary.xep0114;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The holders of a cluster's components on the registry's Redis: {@code comp:{domain}} = the holding instance's id,
 * with a TTL its holder renews (as gateways renew {@code gw:{id}:alive}), so an instance that died frees its
 * components' domains within one TTL.
 */
public final class RedisComponentHolders implements ComponentHolders {

    /** Takes the key when free or already ours, and renews it; 1 when ours afterwards. */
    private static final RedisScript<Long> HOLD = new DefaultRedisScript<>("""
            local current = redis.call('GET', KEYS[1])
            if current == false or current == ARGV[1] then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0""", Long.class);
    private static final RedisScript<Long> RELEASE = new DefaultRedisScript<>("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0""", Long.class);

    private final StringRedisTemplate redis;
    private final Duration ttl;

    public RedisComponentHolders(StringRedisTemplate redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    static String key(DomainBareJid domain) {
        return "comp:{" + domain + "}";
    }

    @Override
    public boolean hold(DomainBareJid domain, String instance) {
        Long held = redis.execute(HOLD, List.of(key(domain)), instance, Long.toString(ttl.toMillis()));
        return held != null && held == 1L;
    }

    @Override
    public boolean renew(DomainBareJid domain, String instance) {
        return hold(domain, instance);
    }

    @Override
    public void release(DomainBareJid domain, String instance) {
        redis.execute(RELEASE, List.of(key(domain)), instance);
    }

    @Override
    public Optional<String> holder(DomainBareJid domain) {
        return Optional.ofNullable(redis.opsForValue().get(key(domain)));
    }
}
