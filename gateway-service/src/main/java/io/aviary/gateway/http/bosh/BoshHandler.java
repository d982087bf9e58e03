package io.aviary.gateway.http.bosh;

import io.aviary.gateway.http.HttpProperties;
import io.aviary.gateway.stream.ClientSession;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.stanza.XmppStreamException;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.XmlDocumentParser;
import io.aviary.xmpp.xml.XmlElement;
import io.netty.channel.EventLoop;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The BOSH endpoint (XEP-0124 with XEP-0206): parses each POSTed {@code <body/>}, creates sessions
 * and hands requests to the session they name. A bad request affects only its own session.
 */
public final class BoshHandler {

    /** HTTP 413: XEP-0124 names no condition for an oversized request, so HTTP's own applies. */
    private static final BoshResponse TOO_LARGE = new BoshResponse(413, "");

    private final GatewayContext context;
    private final HttpProperties properties;
    private final ParserLimits limits;
    private final Map<String, BoshSession> sessions = new ConcurrentHashMap<>();

    public BoshHandler(GatewayContext context, HttpProperties properties) {
        this.context = context;
        this.properties = properties;
        var p = context.properties();
        // The body is one level above the stanzas it carries.
        this.limits = new ParserLimits(properties.maxBodyBytes(), p.maxDepth() + 1, p.maxAttributes(), p.maxStanzaElements());
    }

    /** Answers one POST; {@code secure} tells whether its stream counts as encrypted. */
    public Mono<Void> serve(HttpServerRequest request, HttpServerResponse response, boolean secure) {
        return handle(request, secure).flatMap(r -> response.status(r.status())
                .header("Content-Type", "text/xml; charset=utf-8")
                .sendString(Mono.just(r.body()))
                .then());
    }

    private Mono<BoshResponse> handle(HttpServerRequest request, boolean secure) {
        String length = request.requestHeaders().get("Content-Length");
        if (length != null && length.length() < 19 && length.chars().allMatch(Character::isDigit)
                && Long.parseLong(length) > properties.maxBodyBytes()) {
            return Mono.just(TOO_LARGE);
        }
        AtomicReference<EventLoop> loop = new AtomicReference<>();
        request.withConnection(connection -> loop.set(connection.channel().eventLoop()));
        String remote = Transport.hostOf(request.remoteAddress());
        return readBody(request)
                .map(bytes -> dispatch(bytes, remote, secure, loop.get()))
                .flatMap(response -> response)
                .switchIfEmpty(Mono.fromSupplier(() -> BoshResponse.terminate(BoshCondition.BAD_REQUEST, true)))
                .onErrorResume(BodyTooLarge.class, e -> Mono.just(TOO_LARGE));
    }

    private Mono<byte[]> readBody(HttpServerRequest request) {
        return request.receive().asByteArray()
                .collect(ByteArrayOutputStream::new, (out, chunk) -> {
                    if (out.size() + chunk.length > properties.maxBodyBytes()) {
                        throw new BodyTooLarge();
                    }
                    out.writeBytes(chunk);
                })
                .map(ByteArrayOutputStream::toByteArray);
    }

    private Mono<BoshResponse> dispatch(byte[] bytes, String remote, boolean secure, EventLoop loop) {
        XmlElement body;
        try {
            body = XmlDocumentParser.parse(bytes, limits);
        } catch (XmppStreamException e) {
            // XEP-0124 §17: a syntax error is bad-request; no session is known, so both forms are sent.
            return Mono.just(BoshResponse.terminate(BoshCondition.BAD_REQUEST, true));
        }
        if (!body.is("body", BoshResponse.NAMESPACE)) {
            return Mono.just(BoshResponse.terminate(BoshCondition.BAD_REQUEST, true));
        }
        String sid = body.attributeOrNull("sid");
        if (sid == null) {
            return create(body, remote, secure, loop);
        }
        BoshSession session = sessions.get(sid);
        if (session == null) {
            // §17.1 and §17.2: an unknown sid is item-not-found (HTTP 404 for whoever cannot read the body).
            return Mono.just(BoshResponse.terminate(BoshCondition.ITEM_NOT_FOUND, true));
        }
        return Mono.create(sink -> session.loop().execute(() -> session.request(body, sink)));
    }

    private Mono<BoshResponse> create(XmlElement body, String remote, boolean secure, EventLoop loop) {
        BoshSession session;
        try {
            BoshRequests.rid(body);
            session = new BoshSession(newSid(), loop, properties, context.properties().maxOutboundQueue().toBytes(), body, ended -> sessions.remove(ended.sid()));
        } catch (IllegalArgumentException e) {
            return Mono.just(BoshResponse.terminate(BoshCondition.BAD_REQUEST, body.attributeOrNull("ver") == null));
        }
        ClientSession client = new ClientSession(context, new BoshTransport(session, remote, secure));
        sessions.put(session.sid(), session);
        loop.schedule(client::negotiationTimedOut, context.properties().negotiationTimeout().toMillis(), TimeUnit.MILLISECONDS);
        return Mono.create(sink -> loop.execute(() -> session.create(client, body, sink)));
    }

    /** XEP-0124 §21.3: session ids must be unpredictable. */
    private String newSid() {
        byte[] bytes = new byte[18];
        context.random().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static final class BodyTooLarge extends RuntimeException {
        BodyTooLarge() {
            super("BOSH request body too large", null, false, false);
        }
    }
}
