package io.aviary.gateway;

import io.aviary.gateway.http.HttpListener;
import io.aviary.gateway.stream.ClientSession;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.tcp.TcpListener;
import io.aviary.session.SessionRegistry;
import io.aviary.session.redis.GatewayHeartbeat;
import java.util.Optional;
import java.util.Set;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The gateway tier's lifecycle: starts beating (cluster), consuming its delivery topic and listening, and on
 * stop drains (stops accepting, ends streams with {@code system-shutdown} except resumable ones, which hibernate with
 * their connections closed without a stream error so that their clients resume elsewhere; deregisters sessions,
 * stops beating).
 */
public final class Gateway implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final GatewayContext context;
    private final TcpListener tcp;
    private final HttpListener http;
    private final Optional<GatewayHeartbeat> heartbeat;
    private volatile boolean running;

    public Gateway(GatewayContext context, TcpListener tcp, HttpListener http, Optional<GatewayHeartbeat> heartbeat) {
        this.context = context;
        this.tcp = tcp;
        this.http = http;
        this.heartbeat = heartbeat;
    }

    @Override
    public void start() {
        heartbeat.ifPresent(beat -> beat.start(this::registryLost));
        context.connections().start(context.bus(), context.gatewayId(), context.streamManagement());
        tcp.start();
        http.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        // Streams still negotiating end with system-shutdown too, rather than a bare close when listening stops.
        var streams = context.connections().streams();
        log.info("gateway {} stopping: ending {} streams ({} bound sessions)", context.gatewayId(), streams.size(),
                context.connections().sessions().size());
        streams.forEach(ClientSession::shutdown);
        tcp.close();
        http.close();
        context.connections().close();
        SessionRegistry registry = context.registry();
        // Sessions whose streams could not end cleanly still leave the registry; resumable ones are the reaper's to end
        // (they hibernated for resumption on another gateway, or end through their expired resumption state).
        registry.sessionsOf(context.gatewayId()).forEach(jid -> registry.session(jid)
                .filter(s -> !s.resumable())
                .ifPresent(s -> registry.unbind(jid, s.connectionId())));
        heartbeat.ifPresent(GatewayHeartbeat::close);
        context.streamManagement().close();
    }

    /**
     * Resets the streams whose sessions the registry forgot (it lost its data, or swept this gateway as dead). Those
     * bound since are listed again and keep their streams: their clients did nothing wrong. The sessions are read
     * before the registry, and a stream counts as bound only after its entry was written, so a session missing from the
     * list was lost with it.
     */
    private void registryLost() {
        var sessions = context.connections().sessions();
        Set<EntityFullJid> listed = listedSessions();
        var forgotten = sessions.stream().filter(session -> !listed.contains(session.jid())).toList();
        log.warn("the registry forgot gateway {}: resetting {} of its {} streams", context.gatewayId(),
                forgotten.size(), sessions.size());
        forgotten.forEach(ClientSession::registryLost);
    }

    private Set<EntityFullJid> listedSessions() {
        try {
            return context.registry().sessionsOf(context.gatewayId());
        } catch (RuntimeException e) {
            // This beat told Redis of the gateway again, so no later one would call here: reset them all, as before.
            log.warn("the registry's sessions of gateway {} are unreadable: {}", context.gatewayId(), e.toString());
            return Set.of();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    public int c2sPort() {
        return tcp.c2sPort();
    }

    public int directTlsPort() {
        return tcp.directTlsPort();
    }

    /** The plain HTTP (BOSH, WebSocket) port, -1 when disabled. */
    public int httpPort() {
        return http.port();
    }

    /** The HTTPS (BOSH, WebSocket) port, -1 when disabled. */
    public int httpsPort() {
        return http.tlsPort();
    }

    public GatewayContext context() {
        return context;
    }
}
