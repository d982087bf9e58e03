package io.aviary.s2s;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import io.aviary.xmpp.xml.XmppStreamParser;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ConcurrentHashMap;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream a remote server opened to this one (RFC 6120 §4): STARTTLS (required unless configured otherwise), then
 * Server Dialback (XEP-0220) for each domain the peer speaks for, then its stanzas, which go to the router like a
 * component's. It also answers {@code db:verify} for keys this server issued, which is what a server that received one
 * of our streams asks on a stream of its own. Fed on its connection's thread.
 */
final class IncomingStream implements StreamEventHandler, S2sNetwork.Connection {

    private static final Logger log = LoggerFactory.getLogger(IncomingStream.class);
    /** Dialback requests of one stream being verified at once (XEP-0220 lets a peer ask for several domains). */
    private static final int MAX_PENDING_VERIFICATIONS = 8;

    private enum State { OPENING, OPEN, CLOSED }

    private final Federation federation;
    private final Link link;
    private final ParserLimits limits;
    private final XmppStreamParser parser;
    /** The remote domains this stream has authenticated, in canonical form. */
    private final Set<String> authenticated = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pendingVerifications = new AtomicInteger();
    private volatile State state = State.OPENING;
    private volatile String streamId;
    /** The domain the peer's certificate authenticates, offered SASL EXTERNAL for (RFC 6120 §6.3.4); else null. */
    private String externalDomain;
    private boolean saslDone;
    /** Our domain, which the peer's stream header named. */
    private volatile String localDomain;
    /** XEP-0288: the peer asked to receive our stanzas for the domains it authenticates on this stream too. */
    private volatile boolean bidi;

    IncomingStream(Federation federation, Link link, ParserLimits limits) {
        this.federation = federation;
        this.link = link;
        this.limits = limits;
        this.parser = new XmppStreamParser(ParserLimits.BEFORE_AUTHENTICATION, this);
    }

    @Override
    public void receive(byte[] bytes) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            parser.feed(bytes);
        } catch (XmppStreamException e) {
            fail(e.error());
        } catch (RuntimeException e) {
            log.warn("s2s stream from {} failed", link.remoteAddress(), e);
            fail(new StreamError(StreamErrorCondition.INTERNAL_SERVER_ERROR));
        }
    }

    @Override
    public void streamOpened(StreamHeader header) {
        streamId = S2sXml.randomId();
        String local = federation.canonical(header.to());
        localDomain = local;
        link.write(S2sXml.header(local, header.from(), streamId));
        state = State.OPEN;
        if (!"stream".equals(header.elementName()) || !S2sXml.STREAMS.equals(header.elementNamespace())
                || !ContentNamespace.SERVER.equals(header.contentNamespace())) {
            fail(new StreamError(StreamErrorCondition.INVALID_NAMESPACE, "a server stream is in jabber:server"));
            return;
        }
        if (local == null || !federation.isLocal(local)) {
            // RFC 6120 §4.9.3.6.
            fail(new StreamError(StreamErrorCondition.HOST_UNKNOWN));
            return;
        }
        String remote = federation.canonical(header.from());
        if (remote != null && !federation.policy().allows(remote)) {
            refused(remote);
            return;
        }
        if (saslDone) {
            // RFC 6120 §6.4.6: the stream restarted after SASL; nothing more to negotiate.
            link.write("<stream:features/>");
            return;
        }
        externalDomain = link.secure() && remote != null
                && federation.tls().authenticates(link.peerCertificates(), remote) ? remote : null;
        StringBuilder features = new StringBuilder("<stream:features>");
        if (externalDomain != null) {
            features.append("<mechanisms xmlns='").append(S2sXml.SASL).append("'><mechanism>EXTERNAL</mechanism></mechanisms>");
        }
        if (!link.secure()) {
            features.append("<starttls xmlns='").append(S2sXml.TLS).append("'>")
                    .append(federation.properties().tlsRequired() ? "<required/>" : "").append("</starttls>");
        }
        if (dialbackAllowed()) {
            features.append("<dialback xmlns='").append(S2sXml.DIALBACK_FEATURE).append("'><errors/></dialback>");
            features.append("<bidi xmlns='").append(S2sXml.BIDI_FEATURE).append("'/>");
        }
        link.write(features.append("</stream:features>").toString());
    }

    private boolean dialbackAllowed() {
        return link.secure() || !federation.properties().tlsRequired();
    }

    @Override
    public void element(XmlElement element) {
        if (state != State.OPEN) {
            return;
        }
        if (element.is("starttls", S2sXml.TLS) && !link.secure()) {
            parser.requestRestart();
            link.startTls(federation.tls().server(), "<proceed xmlns='" + S2sXml.TLS + "'/>", null, () -> { },
                    failure -> close(null));
        } else if (!dialbackAllowed()) {
            // RFC 6120 §5.3.1: TLS is mandatory-to-negotiate here.
            fail(new StreamError(StreamErrorCondition.POLICY_VIOLATION, "STARTTLS first"));
        } else if (element.is("bidi", S2sXml.BIDI)) {
            bidi = true;
        } else if (element.is("auth", S2sXml.SASL)) {
            external(element);
        } else if (element.is("result", S2sXml.DIALBACK)) {
            dialbackResult(element);
        } else if (element.is("verify", S2sXml.DIALBACK)) {
            answerVerify(element);
        } else {
            Optional<Stanza> stanza = ContentNamespace.SERVER.equals(element.namespace())
                    ? Stanza.of(ContentNamespace.move(element, ContentNamespace.SERVER, Stanza.CLIENT_NAMESPACE))
                    : Optional.empty();
            if (stanza.isPresent()) {
                stanza(stanza.get());
            } else {
                // RFC 6120 §4.9.3.22.
                fail(new StreamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE));
            }
        }
    }

    /**
     * SASL EXTERNAL (RFC 6120 §6.3.4, §13.7.1.2): offered only when the peer's certificate is valid for the domain of
     * its stream header; the authorization identity, when given, must be that domain.
     */
    private void external(XmlElement auth) {
        String domain = externalDomain;
        String requested;
        try {
            String text = auth.text().trim();
            requested = text.isEmpty() || text.equals("=") ? ""
                    : new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            requested = null;
        }
        if (domain == null || !"EXTERNAL".equals(auth.attributeOrNull("mechanism")) || requested == null
                || !(requested.isEmpty() || domain.equals(federation.canonical(requested)))) {
            federation.metrics().failure("sasl-external");
            link.write("<failure xmlns='" + S2sXml.SASL + "'><not-authorized/></failure>");
            return;
        }
        parser.requestRestart();
        saslDone = true;
        authenticated.add(domain);
        parser.setLimits(limits);
        offerBidi(domain);
        federation.metrics().streamOpened(true, "sasl-external");
        link.write("<success xmlns='" + S2sXml.SASL + "'/>");
        log.info("s2s: incoming stream from {} authenticated as {} (SASL EXTERNAL)", link.remoteAddress(), domain);
    }

    /** XEP-0220 §2.1.2: the peer asks to be authenticated as {@code from}; we ask its authoritative server. */
    private void dialbackResult(XmlElement element) {
        String from = federation.canonical(element.attributeOrNull("from"));
        String to = federation.canonical(element.attributeOrNull("to"));
        if (from == null || to == null) {
            fail(new StreamError(StreamErrorCondition.IMPROPER_ADDRESSING, "db:result needs from and to"));
            return;
        }
        if (!federation.isLocal(to)) {
            link.write(S2sXml.dialbackAnswer("result", to, from, null, "error", "item-not-found"));
            return;
        }
        if (!federation.policy().allows(from)) {
            refused(from);
            return;
        }
        if (pendingVerifications.get() >= MAX_PENDING_VERIFICATIONS) {
            // Each request makes this server connect out: a peer may not have it open connections without bound.
            fail(new StreamError(StreamErrorCondition.POLICY_VIOLATION, "too many dialback requests at once"));
            return;
        }
        boolean certified = federation.tls().authenticates(link.peerCertificates(), from);
        if (!certified && federation.properties().secureAuth()) {
            // aviary.s2s.secure-auth: dialback alone trusts DNS; a certificate valid for the domain is required.
            federation.metrics().failure("certificate");
            link.write(S2sXml.dialbackAnswer("result", to, from, null, "error", "not-authorized"));
            fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED, "a certificate valid for " + from + " is required"));
            return;
        }
        CompletableFuture<Boolean> verified;
        if (certified) {
            // XEP-0344 §2.4: the peer's certificate already proves the domain; no need to ask its server.
            verified = CompletableFuture.completedFuture(true);
        } else {
            pendingVerifications.incrementAndGet();
            verified = federation.verifyDialback(from, to, streamId, element.text())
                    .whenComplete((valid, error) -> pendingVerifications.decrementAndGet());
        }
        verified.whenComplete((valid, error) -> link.execute(() -> {
            if (state != State.OPEN) {
                return;
            }
            if (error != null) {
                link.write(S2sXml.dialbackAnswer("result", to, from, null, "error", "remote-server-not-found"));
            } else if (valid) {
                boolean first = authenticated.isEmpty();
                authenticated.add(from);
                parser.setLimits(limits);
                offerBidi(from);
                link.write(S2sXml.dialbackAnswer("result", to, from, null, "valid", null));
                if (first) {
                    federation.metrics().streamOpened(true, "dialback");
                }
                log.info("s2s: incoming stream from {} authenticated as {} (dialback)", link.remoteAddress(), from);
            } else {
                federation.metrics().failure("dialback-invalid");
                link.write(S2sXml.dialbackAnswer("result", to, from, null, "invalid", null));
                log.info("s2s: {} from {} failed dialback", from, link.remoteAddress());
                fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED, "dialback key not valid"));
            }
        }));
    }

    /** XEP-0220 §2.3: a receiving server asks whether we issued {@code key}. */
    private void answerVerify(XmlElement element) {
        String from = federation.canonical(element.attributeOrNull("from"));
        String to = federation.canonical(element.attributeOrNull("to"));
        String id = element.attributeOrNull("id");
        if (from == null || to == null || id == null) {
            fail(new StreamError(StreamErrorCondition.IMPROPER_ADDRESSING, "db:verify needs from, to and id"));
            return;
        }
        boolean valid = federation.isLocal(to) && federation.keys().verify(from, to, id, element.text());
        link.write(S2sXml.dialbackAnswer("verify", to, from, id, valid ? "valid" : "invalid", null));
    }

    private void stanza(Stanza stanza) {
        Jid from;
        Jid to;
        try {
            from = stanza.from();
            to = stanza.to();
        } catch (XmppStringprepException e) {
            fail(new StreamError(StreamErrorCondition.IMPROPER_ADDRESSING, "malformed address"));
            return;
        }
        if (from == null || to == null) {
            // RFC 6120 §4.9.3.9: stanzas between servers carry both.
            fail(new StreamError(StreamErrorCondition.IMPROPER_ADDRESSING, "from and to are required"));
            return;
        }
        if (!authenticated.contains(from.getDomain().toString())) {
            // RFC 6120 §4.9.3.10: a domain this stream has not authenticated.
            federation.metrics().failure("invalid-from");
            fail(new StreamError(StreamErrorCondition.INVALID_FROM, from.getDomain() + " is not authenticated"));
            return;
        }
        if (!federation.isLocal(to.getDomain().toString())) {
            // RFC 6120 §4.9.3.6: not a domain of this server.
            fail(new StreamError(StreamErrorCondition.HOST_UNKNOWN, to.getDomain() + " is not served here"));
            return;
        }
        federation.metrics().stanzaIn();
        federation.route(stanza);
    }

    /** XEP-0288 §2: with bidi asked for, our stanzas for {@code domain} may go out on this stream. */
    private void offerBidi(String domain) {
        if (bidi && localDomain != null) {
            federation.bidirectional(localDomain, domain, this);
        }
    }

    /** A stanza of ours to a domain this stream authenticated with bidi (XEP-0288); false when it has closed. */
    boolean send(Stanza stanza) {
        if (state != State.OPEN) {
            return false;
        }
        federation.metrics().stanzaOut();
        link.write(XmlWriter.write(ContentNamespace.move(stanza.element(), Stanza.CLIENT_NAMESPACE,
                ContentNamespace.SERVER), ContentNamespace.SERVER));
        return true;
    }

    private void refused(String domain) {
        federation.metrics().failure("policy");
        log.info("s2s: refused a stream from {} ({}): not allowed by aviary.s2s.allow/deny", domain, link.remoteAddress());
        fail(new StreamError(StreamErrorCondition.POLICY_VIOLATION, "federation with " + domain + " is not allowed"));
    }

    /**
     * {@code connect-timeout} after the connection: a stream that has authenticated no domain by then ends with
     * {@code connection-timeout} (RFC 6120 §4.9.3.4); a peer that only asked {@code db:verify} is done by then.
     */
    void authenticationTimedOut() {
        if (state != State.CLOSED && authenticated.isEmpty()) {
            fail(new StreamError(StreamErrorCondition.CONNECTION_TIMEOUT));
        }
    }

    @Override
    public void streamClosed() {
        close(null);
    }

    @Override
    public void disconnected() {
        closed();
    }

    @Override
    public void idle() {
        close(null);
    }

    /** Ends the stream, with {@code error} unless null. */
    void close(StreamError error) {
        if (state == State.CLOSED) {
            return;
        }
        link.write(error == null ? "</stream:stream>" : S2sXml.error(error));
        link.close();
        closed();
    }

    private void closed() {
        if (state != State.CLOSED) {
            state = State.CLOSED;
            federation.bidirectionalClosed(this);
            if (!authenticated.isEmpty()) {
                federation.metrics().streamClosed(true);
            }
        }
    }

    private void fail(StreamError error) {
        if (state == State.OPENING) {
            streamId = S2sXml.randomId();
            link.write(S2sXml.header(null, null, streamId));
            state = State.OPEN;
        }
        close(error);
    }
}
