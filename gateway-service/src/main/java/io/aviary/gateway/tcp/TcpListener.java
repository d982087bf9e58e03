package io.aviary.gateway.tcp;

import static io.aviary.gateway.stream.ReactorPipeline.addBeforeReactorHandlers;

import io.aviary.gateway.GatewayProperties;
import io.aviary.backpressure.BusBacklogGate;
import io.aviary.listen.ListeningPort;
import io.aviary.gateway.limits.ConnectionLimits;
import io.aviary.gateway.limits.NegotiationDeadline;
import io.aviary.gateway.limits.OutboundQueue;
import io.aviary.gateway.limits.TrafficShaper;
import io.aviary.gateway.stream.ClientSession;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.tls.ServerTls;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.xml.XmlWriter;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
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
    private final ConnectionLimits limits;
    private final BusBacklogGate busBacklog;
    private DisposableServer c2s;
    private DisposableServer directTls;

    public TcpListener(GatewayContext context, ServerTls tls, ConnectionLimits limits) {
        this.context = context;
        this.tls = tls;
        this.limits = limits;
        this.busBacklog = new BusBacklogGate(context.bus());
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
        GatewayProperties properties = context.properties();
        QuietPeriods quiet = QuietPeriods.of(properties.idleTimeout(), properties.parserReleaseAfter());
        String setting = directTlsPort ? "aviary.gateway.direct-tls-port" : "aviary.gateway.c2s-port";
        return new ListeningPort(setting, properties.bindAddress(), port).bind(() -> TcpServer.create()
                .host(properties.bindAddress())
                .port(port)
                .doOnConnection(connection -> {
                    var channel = connection.channel();
                    ConnectionLimits.Refusal refusal = limits.admit(channel);
                    if (refusal != null) {
                        refuse(channel, refusal, directTlsPort);
                        return;
                    }
                    if (directTlsPort) {
                        channel.pipeline().addFirst(TcpTransport.TLS_HANDLER, tls.handler(channel.alloc()));
                    }
                    TrafficShaper shaper = new TrafficShaper(channel, properties.shaper());
                    ClientSession session = new ClientSession(context, new TcpTransport(channel, tls), shaper);
                    addBeforeReactorHandlers(channel, "idle",
                            new IdleStateHandler(quiet.periodMillis(), 0, 0, TimeUnit.MILLISECONDS));
                    addBeforeReactorHandlers(channel, "outbound", OutboundQueue.install(channel,
                            properties.outboundPause().toBytes(), properties.maxOutboundQueue().toBytes(),
                            session::outputOverflowed));
                    addBeforeReactorHandlers(channel, "shaper", shaper);
                    addBeforeReactorHandlers(channel, "busBacklog", busBacklog);
                    addBeforeReactorHandlers(channel, "xmpp", new XmppStreamHandler(session, quiet));
                    NegotiationDeadline.arm(channel, session, properties.negotiationTimeout());
                    // Our handler consumes the input itself; Reactor Netty's inbound flux is never subscribed,
                    // so reading must not wait for its demand.
                    channel.config().setAutoRead(true);
                })
                .handle((in, out) -> Mono.never())
                .bindNow(Duration.ofSeconds(10)));
    }

    /**
     * A connection over the caps is closed before anything of it is read or parsed. On the STARTTLS port it first
     * gets a stream header and the reason, cheap to send: {@code policy-violation} for its address's cap (RFC 6120
     * §4.9.3.14, "the entity has violated some local service policy") and {@code resource-constraint} for the
     * gateway's (§4.9.3.17, "the server lacks the system resources necessary to service the stream"). On the
     * direct TLS port saying so would cost a TLS handshake, the very thing the cap saves, so it is only closed.
     */
    private void refuse(Channel channel, ConnectionLimits.Refusal refusal, boolean directTlsPort) {
        log.debug("refusing connection from {}: {}", channel.remoteAddress(), refusal);
        if (directTlsPort) {
            channel.close();
            return;
        }
        StreamError error = refusal == ConnectionLimits.Refusal.ADDRESS_FULL
                ? new StreamError(StreamErrorCondition.POLICY_VIOLATION, "Too many connections from this address")
                : new StreamError(StreamErrorCondition.RESOURCE_CONSTRAINT, "Too many connections");
        String xml = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
                + "xmlns:stream='http://etherx.jabber.org/streams' from='" + context.domain() + "' version='1.0'>"
                + "<stream:error>" + error.toElement().elements().map(e -> XmlWriter.write(e, null))
                        .reduce("", String::concat) + "</stream:error></stream:stream>";
        channel.writeAndFlush(Unpooled.copiedBuffer(xml, StandardCharsets.UTF_8)).addListener(ChannelFutureListener.CLOSE);
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
