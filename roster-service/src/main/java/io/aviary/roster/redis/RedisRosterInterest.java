package io.aviary.roster.redis;

import io.aviary.roster.RosterInterest;
import io.aviary.session.redis.RegistryKeys;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The {@link RosterInterest} of a cluster: {@code roster:{bareJid}:interested} ({@link RegistryKeys#rosterInterest})
 * sets of full JIDs, shared by every roster-service instance. Each addition sets the session TTL and gateway
 * heartbeats extend it while the account has a session.
 */
public final class RedisRosterInterest implements RosterInterest {

    private static final RedisScript<Long> INTERESTED =
            RedisScript.of(new ClassPathResource("interested.lua", RedisRosterInterest.class), Long.class);

    private final StringRedisTemplate redis;
    private final String ttlMillis;

    public RedisRosterInterest(StringRedisTemplate redis, Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the roster interest TTL must be positive: " + ttl);
        }
        this.redis = redis;
        this.ttlMillis = Long.toString(ttl.toMillis());
    }

    @Override
    public void interested(EntityFullJid resource) {
        redis.execute(INTERESTED, List.of(RegistryKeys.rosterInterest(resource.asEntityBareJid())),
                resource.toString(), ttlMillis);
    }

    @Override
    public void notInterested(EntityFullJid resource) {
        redis.opsForSet().remove(RegistryKeys.rosterInterest(resource.asEntityBareJid()), resource.toString());
    }

    @Override
    public Set<EntityFullJid> resources(EntityBareJid account) {
        Set<String> members = redis.opsForSet().members(RegistryKeys.rosterInterest(account));
        return members == null ? Set.of()
                : members.stream().map(JidCreate::entityFullFromOrThrowUnchecked).collect(Collectors.toUnmodifiableSet());
    }
}
