package io.aviary.session.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * A gateway's sign of life (design.md: "{@code gw:{id}:alive} key with a short TTL that the gateway
 * refreshes"). Each beat sets the liveness key and extends the TTL of the gateway's sessions; when beats
 * stop, {@link DeadGatewaySweeper} ends those sessions once the liveness TTL has passed.
 */
public final class GatewayHeartbeat implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GatewayHeartbeat.class);

    private final StringRedisTemplate redis;
    private final String gatewayId;
    private final RedisRegistryProperties properties;
    private final ScheduledExecutorService scheduler;

    public GatewayHeartbeat(StringRedisTemplate redis, String gatewayId, RedisRegistryProperties properties) {
        this.redis = redis;
        this.gatewayId = gatewayId;
        this.properties = properties;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "registry-heartbeat-" + gatewayId);
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * One beat now. Returns whether Redis still knew this gateway: false on the first beat, and false
     * after the gateway was swept as dead or Redis lost its data, when the registry no longer lists the
     * gateway's sessions and the gateway must end them (or bind them again).
     */
    public boolean refresh() {
        Long known = redis.execute(RegistryScripts.HEARTBEAT,
                List.of(RegistryKeys.gatewayAlive(gatewayId), RegistryKeys.gatewaySessions(gatewayId),
                        RegistryKeys.GATEWAYS),
                gatewayId, millis(properties.gatewayTtl()), millis(properties.sessionTtl()));
        return known != null && known == 1L;
    }

    /**
     * Beats now and then every {@code heartbeat-interval}; a failed beat is logged and the next one tried.
     * {@code whenForgotten} runs (on the heartbeat thread) after a later beat finds that Redis had forgotten
     * the gateway; see {@link #refresh()}.
     */
    public void start(Runnable whenForgotten) {
        refresh();
        long interval = properties.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(() -> beatQuietly(whenForgotten), interval, interval, TimeUnit.MILLISECONDS);
    }

    private void beatQuietly(Runnable whenForgotten) {
        try {
            if (!refresh()) {
                log.warn("the registry had forgotten gateway {} and its sessions", gatewayId);
                whenForgotten.run();
            }
        } catch (RuntimeException e) {
            log.warn("heartbeat of gateway {} failed; its sessions end if this lasts {}", gatewayId,
                    properties.gatewayTtl(), e);
        }
    }

    /** Stops beating; the liveness key then expires on its own. */
    @Override
    public void close() {
        scheduler.shutdownNow();
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
