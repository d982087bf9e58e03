package io.aviary.gateway.tcp;

import io.aviary.gateway.GatewayProperties;
import io.aviary.gateway.stream.ClientSession;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.tls.ServerTls;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpServer;

/** The c2s listeners: STARTTLS on one port, direct TLS (XEP-0368) on another. */
public final class TcpListener implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpListener.class);

    private final GatewayContext context;
    private final ServerTls tls;
    private DisposableServer c2s;
    private DisposableServer directTls;

    public TcpListener(GatewayContext context, ServerTls tls) {
        this.context = context;
        this.tls = tls;
    }

    public void start() {
        GatewayProperties properties = context.properties();
        c2s = bind(properties.c2sPort(), false);
        log.info("XMPP c2s (STARTTLS) listening on {}:{} for {}", properties.bindAddress(), c2s.port(), context.domain());
        if (properties.directTlsPort() >= 0) {
            directTls = bind(properties.directTlsPort(), true);
            log.info("XMPP c2s (direct TLS) listening on {}:{}", properties.bindAddress(), directTls.port());
        }
    }

    private DisposableServer bind(int port, boolean directTlsPort) {
        long idleSeconds = context.properties().idleTimeout().toSeconds();
        return TcpServer.create()
                .host(context.properties().bindAddress())
                .port(port)
                .doOnConnection(connection -> {
                    var channel = connection.channel();
                    if (directTlsPort) {
                        channel.pipeline().addFirst(TcpTransport.TLS_HANDLER, tls.handler(channel.alloc()));
                    }
                    ClientSession session = new ClientSession(context, new TcpTransport(channel, tls));
                    connection.addHandlerLast("idle", new IdleStateHandler(idleSeconds, 0, 0, TimeUnit.SECONDS));
                    connection.addHandlerLast("xmpp", new XmppStreamHandler(session));
                    // Our handler consumes the input itself; Reactor Netty's inbound flux is never subscribed,
                    // so reading must not wait for its demand.
                    channel.config().setAutoRead(true);
                })
                .handle((in, out) -> Mono.never())
                .bindNow(Duration.ofSeconds(10));
    }

    public int c2sPort() {
        return c2s.port();
    }

    public int directTlsPort() {
        return directTls == null ? -1 : directTls.port();
    }

    /** Stops accepting; open streams are ended by the caller first. */
    @Override
    public void close() {
        if (c2s != null) {
            c2s.disposeNow(Duration.ofSeconds(5));
        }
        if (directTls != null) {
            directTls.disposeNow(Duration.ofSeconds(5));
        }
    }
}
