package io.aviary.client;

import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.aviary.xmpp.xml.XmppStreamParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * One simulated client: a Netty handler that walks RFC 6120's steps (stream header, STARTTLS,
 * SASL, stream restart, resource binding) and sends initial presence, then reports what arrives.
 *
 * <p>Incoming bytes go to xmpp-core's {@link XmppStreamParser}, the server's own incremental
 * parser; it costs an Aalto reader per connection, which is the bulk of a client's heap.
 * All callbacks run on the connection's event loop.
 */
public final class XmppConnection extends ChannelInboundHandlerAdapter implements StreamEventHandler {

    /** What a scenario learns from a connection. Callbacks run on the connection's event loop. */
    public interface Listener {
        /** Bound and initial presence sent. */
        default void online(XmppConnection connection) {
        }

        /** The login failed or an established stream broke; called at most once. */
        default void failed(XmppConnection connection, String reason) {
        }

        /** A message stanza arrived. */
        default void message(XmppConnection connection, XmlElement message) {
        }

        /** A presence stanza arrived. */
        default void presence(XmppConnection connection, XmlElement presence) {
        }

        /** The answer (result or error) to an IQ the scenario sent. */
        default void answered(XmppConnection connection, XmlElement iq) {
        }

        /** Registration only: the stream may now send {@code jabber:iq:register} requests. */
        default void readyToRegister(XmppConnection connection) {
        }

        /** Registration only: the answer to a {@code jabber:iq:register} set. */
        default void registrationAnswered(XmppConnection connection, XmlElement iq) {
        }
    }

    public enum Phase { CONNECTING, NEGOTIATING, ONLINE, FAILED, CLOSED }

    private static final String STREAMS = "http://etherx.jabber.org/streams";
    private static final String TLS = "urn:ietf:params:xml:ns:xmpp-tls";
    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    private static final String BIND = "urn:ietf:params:xml:ns:xmpp-bind";
    private static final String SM = "urn:xmpp:sm:3";
    private static final String PING = "urn:xmpp:ping";
    /** One read buffer per event loop: the parser reads it only during feed(). */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[16 * 1024];
        }
    };

    private final ClientEngine engine;
    private final int user;
    private final String resource;
    private final boolean registerOnly;
    private final Listener listener;
    private final long createdNanos = System.nanoTime();
    private long boundNanos;

    private InetSocketAddress target;
    private Channel channel;
    private XmppStreamParser parser;
    private volatile Phase phase = Phase.CONNECTING;
    private boolean secured;
    private boolean authenticated;
    /** XEP-0198: whether the server enabled stream management, and the stanzas received since (the client's h, mod 2^32). */
    private boolean smEnabled;
    private int handled;
    private ScramClient scram;

    /**
     * @param user         account number (see {@link ClientSettings#username})
     * @param registerOnly stop before SASL and let the listener register accounts instead
     */
    public XmppConnection(ClientEngine engine, int user, String resource, boolean registerOnly, Listener listener) {
        this.engine = engine;
        this.user = user;
        this.resource = resource;
        this.registerOnly = registerOnly;
        this.listener = listener;
    }

    public int user() {
        return user;
    }

    public Phase phase() {
        return phase;
    }

    /** Nanoseconds from creation (just before connecting) to the bind result. */
    public long loginNanos() {
        return boundNanos - createdNanos;
    }

    /** Whether the session was bound at some point (it may have failed since). */
    public boolean cameOnline() {
        return boundNanos != 0;
    }

    void target(InetSocketAddress address) {
        this.target = address;
    }

    /** Fails the login if it has not completed within {@code timeoutNanos}. */
    public void failUnlessOnlineWithin(long timeoutNanos) {
        if (channel != null) {
            channel.eventLoop().schedule(() -> {
                if (phase == Phase.CONNECTING || phase == Phase.NEGOTIATING) {
                    fail("login timed out");
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Sends a chat message to an account's bare JID; safe from any thread. False when the connection is not open. */
    public boolean sendChat(String toBareJid, String id, String body) {
        return send("<message to='" + toBareJid + "' type='chat' id='" + id + "'><body>" + XmlWriter.escape(body)
                + "</body></message>");
    }

    /** Sends raw XML; safe from any thread. Returns false when the connection is not open. */
    public boolean send(String xml) {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return false;
        }
        ch.writeAndFlush(ByteBufUtil.writeUtf8(ch.alloc(), xml), ch.voidPromise());
        return true;
    }

    /**
     * Ends the stream and closes the connection without waiting for the server's closing tag. With stream management,
     * acknowledges what was received first, as Smack does on disconnect: otherwise the server takes the last stanzas
     * for undelivered and stores them offline, and the next run's logins receive them.
     */
    public void close() {
        Channel ch = channel;
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> {
            if (phase != Phase.FAILED) {
                phase = Phase.CLOSED;
            }
            if (ch.isActive()) {
                String ack = smEnabled ? smAck() : "";
                ch.writeAndFlush(ByteBufUtil.writeUtf8(ch.alloc(), ack + "</stream:stream>"));
            }
            ch.close();
        });
    }

    /** Marks the connection failed (once), tells the listener and closes it. */
    public void fail(String reason) {
        if (phase == Phase.FAILED || phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.FAILED;
        listener.failed(this, reason);
        if (channel != null) {
            channel.close();
        }
    }

    // ---- Netty ----

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        parser = new XmppStreamParser(ParserLimits.DEFAULTS, this);
        phase = Phase.NEGOTIATING;
        openStream();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            byte[] scratch = SCRATCH.get();
            while (buf.isReadable() && phase != Phase.FAILED) {
                int n = Math.min(scratch.length, buf.readableBytes());
                buf.readBytes(scratch, 0, n);
                parser.feed(scratch, 0, n);
            }
        } catch (RuntimeException e) {
            fail("stream: " + e.getMessage());
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (parser != null) {
            parser.endOfInput();
        }
        fail(phase == Phase.ONLINE ? "connection closed by the server" : "connection closed during login");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    // ---- XMPP ----

    private void openStream() {
        send("<?xml version='1.0'?><stream:stream to='" + engine.settings().domain()
                + "' version='1.0' xmlns='jabber:client' xmlns:stream='" + STREAMS + "'>");
    }

    @Override
    public void streamOpened(StreamHeader header) {
        // Nothing to check: the features that follow drive the next step.
    }

    @Override
    public void streamClosed() {
        fail(phase == Phase.ONLINE ? "stream closed by the server" : "stream closed during login");
    }

    @Override
    public void element(XmlElement element) {
        switch (element.namespace()) {
            case STREAMS -> {
                if (element.name().equals("features")) {
                    features(element);
                } else if (element.name().equals("error")) {
                    fail("stream error " + element.firstChild().map(XmlElement::name).orElse("?"));
                }
            }
            case TLS -> {
                if (element.name().equals("proceed")) {
                    startTls();
                } else {
                    fail("STARTTLS refused");
                }
            }
            case SASL -> sasl(element);
            case "jabber:client" -> {
                if (smEnabled) {
                    handled++;
                }
                stanza(element);
            }
            case SM -> streamManagement(element);
            default -> { }
        }
    }

    /** XEP-0198: {@code <enabled/>} starts the count of stanzas received; every {@code <r/>} gets it back. */
    private void streamManagement(XmlElement element) {
        switch (element.name()) {
            case "enabled" -> smEnabled = true;
            case "r" -> send(smAck());
            case "failed" -> fail("stream management refused");
            default -> { }
        }
    }

    private String smAck() {
        return "<a xmlns='" + SM + "' h='" + Integer.toUnsignedString(handled) + "'/>";
    }

    private void features(XmlElement features) {
        ClientSettings settings = engine.settings();
        if (!secured && settings.startTls()) {
            if (features.child("starttls", TLS).isEmpty()) {
                fail("the server does not offer STARTTLS");
                return;
            }
            send("<starttls xmlns='" + TLS + "'/>");
        } else if (!authenticated && registerOnly) {
            listener.readyToRegister(this);
        } else if (!authenticated) {
            authenticate(features);
        } else {
            send("<iq type='set' id='bind'><bind xmlns='" + BIND + "'><resource>" + XmlWriter.escape(resource)
                    + "</resource></bind></iq>");
        }
    }

    private void startTls() {
        SslHandler ssl = engine.sslHandler(channel, target);
        channel.pipeline().addFirst("tls", ssl);
        // Bytes after <proceed/> belong to the TLS session: the next stream starts from scratch.
        parser.requestRestart();
        ssl.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                secured = true;
                openStream();
            } else {
                fail("TLS handshake: " + f.cause());
            }
        });
    }

    private void authenticate(XmlElement features) {
        ClientSettings settings = engine.settings();
        String mechanism = settings.mechanism() == ClientSettings.Mechanism.PLAIN ? "PLAIN" : "SCRAM-SHA-256";
        boolean offered = features.child("mechanisms", SASL).stream()
                .flatMap(XmlElement::elements)
                .anyMatch(m -> m.text().equals(mechanism));
        if (!offered) {
            fail("the server does not offer " + mechanism + (settings.startTls() ? "" : " without TLS"));
            return;
        }
        String initial;
        if (settings.mechanism() == ClientSettings.Mechanism.PLAIN) {
            initial = "\0" + settings.username(user) + "\0" + settings.password();
        } else {
            scram = new ScramClient(settings.username(user), settings.password(), engine.saltedPasswords());
            initial = scram.clientFirst();
        }
        send("<auth xmlns='" + SASL + "' mechanism='" + mechanism + "'>" + base64(initial) + "</auth>");
    }

    private void sasl(XmlElement element) {
        switch (element.name()) {
            case "challenge" -> {
                if (scram == null) {
                    fail("unexpected SASL challenge");
                    return;
                }
                send("<response xmlns='" + SASL + "'>" + base64(scram.clientFinal(unbase64(element.text()))) + "</response>");
            }
            case "success" -> {
                if (scram != null && !scram.verifyServerFinal(unbase64(element.text()))) {
                    fail("the server's SCRAM signature does not verify");
                    return;
                }
                authenticated = true;
                parser.requestRestart();
                openStream();
            }
            case "failure" -> fail("SASL failure " + element.firstChild().map(XmlElement::name).orElse("?"));
            default -> fail("unexpected SASL element " + element.name());
        }
    }

    private void stanza(XmlElement stanza) {
        switch (stanza.name()) {
            case "message" -> listener.message(this, stanza);
            case "presence" -> listener.presence(this, stanza);
            case "iq" -> iq(stanza);
            default -> { }
        }
    }

    private void iq(XmlElement iq) {
        String id = iq.attributeOrNull("id");
        String type = iq.attributeOrNull("type");
        if ("bind".equals(id)) {
            if (!"result".equals(type)) {
                fail("resource binding refused");
                return;
            }
            if (engine.settings().streamManagement()) {
                send("<enable xmlns='" + SM + "' resume='true'/>");
            }
            send("<presence/>");
            boundNanos = System.nanoTime();
            phase = Phase.ONLINE;
            listener.online(this);
        } else if (id != null && id.startsWith("reg-")) {
            listener.registrationAnswered(this, iq);
        } else if ("result".equals(type) || "error".equals(type)) {
            listener.answered(this, iq);
        } else if ("get".equals(type) || "set".equals(type)) {
            // RFC 6120 §8.2.3: every request gets an answer; a ping is the only one a bench client knows.
            String from = iq.attributeOrNull("from");
            String to = from == null ? "" : " to='" + XmlWriter.escape(from) + "'";
            boolean ping = iq.firstChild().map(c -> c.is("ping", PING)).orElse(false);
            send(ping
                    ? "<iq type='result' id='" + XmlWriter.escape(id == null ? "" : id) + "'" + to + "/>"
                    : "<iq type='error' id='" + XmlWriter.escape(id == null ? "" : id) + "'" + to
                            + "><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
                            + "</error></iq>");
        }
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unbase64(String s) {
        String trimmed = s.trim();
        return trimmed.equals("=") ? "" : new String(Base64.getDecoder().decode(trimmed), StandardCharsets.UTF_8);
    }
}
