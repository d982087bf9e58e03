package io.aviary.session.redis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis session registry of a cluster ({@code aviary.registry.type=redis}).
 *
 * @param url               Redis to connect to, as a Lettuce URI: {@code redis://[user:password@]host:port[/database]},
 *                          {@code rediss://} for TLS, {@code redis-sentinel://} for Sentinel (not Redis Cluster:
 *                          the registry's scripts span several keys)
 * @param commandTimeout    the longest one Redis command may take before it fails (Lettuce's default is a
 *                          minute, during which a gateway's login or a router's lane would wait for a Redis that is
 *                          gone); while disconnected, commands wait for the reconnect up to this long
 * @param asyncTimeout      how long a command sent without waiting (a router's append to a XEP-0198 queue, a gateway's
 *                          acknowledgement) may go unanswered before it fails; longer than {@code command-timeout},
 *                          because a command that timed out may still run: Redis answers in order, so a slow Redis
 *                          gives the append's position late, where a time-out would have the router deliver the stanza
 *                          as not queued (and the client resume without it, or get it twice)
 * @param startupWait       how long a starting service tries again while Redis does not answer (not running yet, or a
 *                          new connection's handshake slower than {@code command-timeout} on a busy machine) before
 *                          its start fails; {@code 0s}: one attempt
 * @param reconnectDelay    the longest wait between two attempts to reconnect to a Redis that went away (Lettuce's own
 *                          doubles up to 30 s, so a Redis back after half a minute was found up to 30 s late, with
 *                          logins failing and the registry's reset waiting meanwhile)
 * @param requestQueueSize  commands at most waiting for Redis (sent and unanswered, or held while reconnecting);
 *                          beyond it a command fails at once: the bound on the memory they take while Redis is away
 * @param sessionTtl        how long an account's sessions and a gateway's session index live without a heartbeat
 *                          or write: the bound on stale routes after a partition; longer than {@code gateway-ttl}
 *                          so the sweeper ends a dead gateway's sessions (with unavailable presence) first
 * @param gatewayTtl        how long a gateway counts as alive after its last heartbeat
 * @param heartbeatInterval how often a gateway beats; shorter than {@code gateway-ttl}, so that one late beat
 *                          does not end all its sessions
 * @param sweepInterval     how often the session service looks for gateways whose liveness key expired
 * @param cache             the local cache of accounts' sessions, for routers
 */
@ConfigurationProperties("aviary.registry.redis")
public record RedisRegistryProperties(
        @DefaultValue("redis://localhost:6379") String url,
        @DefaultValue("2s") Duration commandTimeout,
        @DefaultValue("30s") Duration asyncTimeout,
        @DefaultValue("60s") Duration startupWait,
        @DefaultValue("1s") Duration reconnectDelay,
        @DefaultValue("20000") int requestQueueSize,
        @DefaultValue("5m") Duration sessionTtl,
        @DefaultValue("30s") Duration gatewayTtl,
        @DefaultValue("10s") Duration heartbeatInterval,
        @DefaultValue("5s") Duration sweepInterval,
        @DefaultValue Cache cache) {

    public RedisRegistryProperties {
        if (asyncTimeout.compareTo(commandTimeout) < 0) {
            throw new IllegalArgumentException("aviary.registry.redis.async-timeout must not be shorter than "
                    + "command-timeout");
        }
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero() || heartbeatInterval.compareTo(gatewayTtl) >= 0) {
            throw new IllegalArgumentException("aviary.registry.redis.heartbeat-interval must be positive and "
                    + "shorter than gateway-ttl");
        }
        if (gatewayTtl.compareTo(sessionTtl) >= 0) {
            throw new IllegalArgumentException("aviary.registry.redis.gateway-ttl must be shorter than session-ttl");
        }
    }

    /**
     * A local cache of each account's sessions in front of Redis ({@code io.aviary.session.CachingSessionRegistry}),
     * kept current by the changes every registry write publishes.
     *
     * @param enabled whether this instance caches (routers: yes; a gateway or session-service gains little)
     * @param ttl     the longest a cached account is served; bounds staleness if a change notice is lost
     * @param size    accounts cached at most; beyond that, reads of further accounts go to Redis
     */
    public record Cache(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("5s") Duration ttl,
            @DefaultValue("100000") int size) {
    }
}
