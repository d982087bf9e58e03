package io.aviary.s2s;

import io.aviary.bus.StanzaBus;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream from one of this server's domains to a remote domain (RFC 6120 §4): header, STARTTLS (a peer that does
 * not offer it is not used when TLS is required), Server Dialback (XEP-0220), then this side's stanzas in
 * {@code jabber:server}. Stanzas sent while it is set up wait in a bounded queue; if it cannot be set up they all
 * bounce with the reason. Each waits with its bus record {@link StanzaBus#hold held}: if this process dies or stops
 * first, the instance that takes the remote domain over sends it. The same class makes the short-lived streams on
 * which this server, as a receiving server, asks a remote domain's authoritative server to {@code db:verify} a key
 * ({@link #verifier}).
 */
final class OutgoingStream implements StreamEventHandler, S2sNetwork.Connection {

    private static final Logger log = LoggerFactory.getLogger(OutgoingStream.class);

    private enum State { CONNECTING, NEGOTIATING, READY, CLOSED }

    /** A {@code db:verify} to ask, and where its answer goes. */
    private record Verification(String id, String key, CompletableFuture<Boolean> answer) {
    }

    private final Federation federation;
    private final String local;
    private final String remote;
    private final Verification verification;
    /** A stanza waiting for the stream, and its bus record's hold (null where the bus would not deliver it again). */
    record Waiting(Stanza stanza, StanzaBus.Hold hold) {
        void release() {
            if (hold != null) {
                hold.release();
            }
        }
    }

    private final Queue<Waiting> queue = new ArrayDeque<>();
    private XmppStreamParser parser;
    private Link link;
    private String streamId;
    private State state = State.CONNECTING;
    private boolean externalTried;
    private boolean saslDone;
    /** A second attempt after a peer ended the stream on our SASL EXTERNAL: dialback only. */
    private boolean dialbackOnly;
    /** XEP-0288: we asked the peer to send its stanzas for us on this stream too. */
    private boolean bidi;

    private OutgoingStream(Federation federation, String local, String remote, Verification verification) {
        this.federation = federation;
        this.local = local;
        this.remote = remote;
        this.verification = verification;
    }

    /** The stream for {@code local}'s stanzas to {@code remote}. */
    static OutgoingStream stanzas(Federation federation, String local, String remote) {
        return new OutgoingStream(federation, local, remote, null);
    }

    /** The stream for {@code local}'s stanzas to {@code remote} that does not try SASL EXTERNAL. */
    static OutgoingStream dialbackOnly(Federation federation, String local, String remote) {
        OutgoingStream stream = new OutgoingStream(federation, local, remote, null);
        stream.dialbackOnly = true;
        return stream;
    }

    /** A stream that asks {@code remote} whether it issued {@code key} on our stream {@code id}, then ends. */
    static OutgoingStream verifier(Federation federation, String local, String remote, String id, String key,
                                   CompletableFuture<Boolean> answer) {
        return new OutgoingStream(federation, local, remote, new Verification(id, key, answer));
    }

    String local() {
        return local;
    }

    String remote() {
        return remote;
    }

    /**
     * Sends or queues {@code stanza}, which the bus handler is handling now (a queued one is held); false when the
     * stream is closed (the caller makes a new one).
     */
    synchronized boolean send(Stanza stanza) {
        switch (state) {
            case CLOSED -> {
                return false;
            }
            case READY -> write(stanza);
            default -> {
                if (queue.size() >= federation.properties().queueLimit()) {
                    federation.metrics().failure("queue-full");
                    federation.bounce(stanza, StanzaError.of(StanzaErrorCondition.RESOURCE_CONSTRAINT,
                            "too many stanzas wait for the stream to " + remote));
                } else {
                    queue.add(new Waiting(stanza, federation.hold()));
                }
            }
        }
        return true;
    }

    /** Takes over stanzas that waited for another stream to this domain, with their holds. */
    synchronized void takeOver(List<Waiting> waiting) {
        queue.addAll(waiting);
    }

    private void write(Stanza stanza) {
        federation.metrics().stanzaOut();
        link.write(XmlWriter.write(ContentNamespace.move(stanza.element(), Stanza.CLIENT_NAMESPACE,
                ContentNamespace.SERVER), ContentNamespace.SERVER));
    }

    /** Connected (for direct TLS: after the handshake): the stream begins. */
    synchronized S2sNetwork.Connection attached(Link link) {
        this.link = link;
        this.parser = new XmppStreamParser(ParserLimits.BEFORE_AUTHENTICATION, this);
        if (state == State.CLOSED) {
            link.close();
        } else {
            state = State.NEGOTIATING;
            open();
        }
        return this;
    }

    private void open() {
        link.write(S2sXml.header(local, remote, null));
    }

    @Override
    public void receive(byte[] bytes) {
        try {
            parser.feed(bytes);
        } catch (XmppStreamException e) {
            failed("stream-error", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, e.error().condition().elementName());
        } catch (RuntimeException e) {
            log.warn("s2s stream to {} failed", remote, e);
            failed("internal", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, e.toString());
        }
    }

    @Override
    public void streamOpened(StreamHeader header) {
        if (!ContentNamespace.SERVER.equals(header.contentNamespace()) || header.id() == null) {
            failed("protocol", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, "not a server stream");
            return;
        }
        streamId = header.id();
    }

    @Override
    public void element(XmlElement element) {
        if (S2sXml.isStream(element, "features")) {
            features(element);
        } else if (element.is("proceed", S2sXml.TLS)) {
            parser.requestRestart();
            link.startTls(federation.tls().client(), null, remote, this::open,
                    failure -> failed("tls", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, failure.toString()));
        } else if (element.is("success", S2sXml.SASL)) {
            // RFC 6120 §6.4.6: authenticated; the stream restarts.
            parser.requestRestart();
            saslDone = true;
            open();
        } else if (element.is("failure", S2sXml.SASL)) {
            // Our certificate did not satisfy the peer: dialback on the same stream instead.
            dialback();
        } else if (element.is("result", S2sXml.DIALBACK) && verification == null) {
            if ("valid".equals(element.attributeOrNull("type"))) {
                ready("dialback");
            } else {
                failed("dialback-refused", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND,
                        "dialback " + element.attributeOrNull("type"));
            }
        } else if (element.is("verify", S2sXml.DIALBACK) && verification != null) {
            verification.answer().complete("valid".equals(element.attributeOrNull("type")));
            close();
        } else if (bidi && state == State.READY && ContentNamespace.SERVER.equals(element.namespace())) {
            stanzaFromPeer(element);
        } else if (S2sXml.isStream(element, "error") && externalTried && !saslDone && verification == null) {
            // Some servers (ejabberd 23.01) offer EXTERNAL without having asked for our certificate and end the stream
            // when it fails, instead of answering <failure/>: once more, with dialback.
            retryWithDialback(element.toXml());
        } else if (S2sXml.isStream(element, "error") || element.is("failure", S2sXml.TLS)) {
            failed("refused", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, element.toXml());
        }
    }

    private void features(XmlElement features) {
        if (!link.secure() && features.child("starttls", S2sXml.TLS).isPresent()) {
            link.write("<starttls xmlns='" + S2sXml.TLS + "'/>");
            return;
        }
        if (!link.secure() && federation.properties().tlsRequired()) {
            failed("no-tls", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, "the peer does not offer STARTTLS");
            return;
        }
        if (federation.properties().secureAuth() && verification == null
                && !(link.secure() && federation.tls().authenticates(link.peerCertificates(), remote))) {
            // RFC 6120 §13.7.2.1: the receiving server's certificate must name the domain we meant to reach.
            failed("certificate", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND,
                    "the peer's certificate is not valid for " + remote);
            return;
        }
        if (!bidi && verification == null && features.child("bidi", S2sXml.BIDI_FEATURE).isPresent()) {
            // XEP-0288 §2: asked before authenticating; the peer then needs no stream of its own to us.
            bidi = true;
            link.write("<bidi xmlns='" + S2sXml.BIDI + "'/>");
        }
        if (saslDone) {
            ready("sasl-external");
            return;
        }
        if (verification == null && !externalTried && !dialbackOnly && offersExternal(features)) {
            // RFC 6120 §13.7.1.2: with a certificate the peer trusts, no dialback round trip; the identity is ours.
            externalTried = true;
            link.write("<auth xmlns='" + S2sXml.SASL + "' mechanism='EXTERNAL'>"
                    + Base64.getEncoder().encodeToString(local.getBytes(StandardCharsets.UTF_8)) + "</auth>");
            return;
        }
        dialback();
    }

    private static boolean offersExternal(XmlElement features) {
        return features.child("mechanisms", S2sXml.SASL)
                .map(mechanisms -> mechanisms.elements().anyMatch(m -> "EXTERNAL".equals(m.text().trim())))
                .orElse(false);
    }

    /** Dialback even when the feature is not announced: older servers support it without saying so. */
    private void dialback() {
        if (verification != null) {
            link.write(S2sXml.dialbackRequest("verify", local, remote, verification.id(), verification.key()));
        } else {
            link.write(S2sXml.dialbackRequest("result", local, remote, null,
                    federation.keys().key(remote, local, streamId)));
        }
    }

    private synchronized void ready(String method) {
        if (state != State.NEGOTIATING) {
            return;
        }
        state = State.READY;
        if (bidi) {
            parser.setLimits(federation.limits()); // the peer's stanzas come on this stream too
        }
        federation.metrics().streamOpened(false, method);
        log.info("s2s: stream {} -> {} authenticated ({}), {} stanza(s) waiting", local, remote, method, queue.size());
        Waiting waiting;
        while ((waiting = queue.poll()) != null) {
            write(waiting.stanza());
            waiting.release();
        }
    }

    /**
     * XEP-0288: a stanza the peer sent back on our stream. It speaks for the domain we connected to (the same trust
     * as the dialback that authenticated it to us) and must be addressed to the domain this stream is from.
     */
    private void stanzaFromPeer(XmlElement element) {
        Stanza stanza = Stanza.of(ContentNamespace.move(element, ContentNamespace.SERVER, Stanza.CLIENT_NAMESPACE))
                .orElse(null);
        String from = stanza == null ? null : domainOf(stanza::from);
        String to = stanza == null ? null : domainOf(stanza::to);
        if (stanza == null || !remote.equals(from) || !local.equals(to)) {
            federation.metrics().failure("invalid-from");
            link.write(S2sXml.error(new StreamError(stanza == null ? StreamErrorCondition.UNSUPPORTED_STANZA_TYPE
                    : StreamErrorCondition.INVALID_FROM)));
            close();
            return;
        }
        federation.metrics().stanzaIn();
        federation.route(stanza);
    }

    /** An address's domain, or null when it is missing or malformed. */
    private static String domainOf(Address address) {
        try {
            Jid jid = address.get();
            return jid == null ? null : jid.getDomain().toString();
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    /** One of a stanza's addresses. */
    private interface Address {
        Jid get() throws XmppStringprepException;
    }

    private void retryWithDialback(String error) {
        List<Waiting> waiting;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            waiting = new ArrayList<>(queue);
            queue.clear();
        }
        log.info("s2s: {} ended the stream on SASL EXTERNAL ({}); trying dialback", remote, error);
        link.close();
        federation.retryWithDialback(this, waiting);
    }

    /** The stream could not be set up in {@code connect-timeout}. */
    void setupTimedOut() {
        failed("timeout", StanzaErrorCondition.REMOTE_SERVER_TIMEOUT, "not set up in time");
    }

    /** No connection could be made (or the domain does not resolve). */
    void unreachable(Throwable cause) {
        failed("unreachable", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, cause.toString());
    }

    /** Ends the stream before it was set up, or a stream that broke: what waits bounces with {@code condition}. */
    private void failed(String reason, StanzaErrorCondition condition, String detail) {
        List<Waiting> waiting;
        synchronized (this) {
            if (state == State.CLOSED || state == State.READY && reason.equals("timeout")) {
                return;
            }
            boolean wasReady = state == State.READY;
            state = State.CLOSED;
            waiting = new ArrayList<>(queue);
            queue.clear();
            if (wasReady) {
                federation.metrics().streamClosed(false);
            }
        }
        federation.metrics().failure(reason);
        log.info("s2s: stream {} -> {} failed ({}): {}", local, remote, reason, detail);
        if (link != null) {
            link.close();
        }
        if (verification != null) {
            verification.answer().completeExceptionally(new IllegalStateException(reason + ": " + detail));
        }
        federation.removed(this);
        if (verification == null && !reason.equals("disconnected")) {
            federation.unreachable(remote, condition);
        }
        waiting.forEach(w -> {
            federation.bounce(w.stanza(), StanzaError.of(condition));
            w.release();
        });
    }

    @Override
    public void streamClosed() {
        close();
    }

    @Override
    public void disconnected() {
        failed("disconnected", StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND, "connection closed");
    }

    @Override
    public void idle() {
        close();
    }

    /** Ends the stream gracefully. */
    void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (state == State.READY) {
                federation.metrics().streamClosed(false);
            }
            state = State.CLOSED;
        }
        if (link != null) {
            link.write("</stream:stream>");
            link.close();
        }
        if (verification != null) {
            verification.answer().completeExceptionally(new IllegalStateException("closed without an answer"));
        }
        federation.removed(this);
        // Stanzas queued before a graceful close bounce: none reaches the remote domain on this stream. When this
        // instance stops, those the bus will deliver again (held, so not committed) are left to the instance that
        // takes the remote domain over.
        List<Waiting> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(queue);
            queue.clear();
        }
        for (Waiting w : waiting) {
            if (w.hold() != null && federation.stopping()) {
                continue;
            }
            federation.bounce(w.stanza(), StanzaError.of(StanzaErrorCondition.REMOTE_SERVER_NOT_FOUND));
            w.release();
        }
    }
}
