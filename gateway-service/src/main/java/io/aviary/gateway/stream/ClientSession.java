package io.aviary.gateway.stream;

import io.aviary.account.InBandRegistration;
import io.aviary.bus.BusMessage;
import io.aviary.bus.Topics;
import io.aviary.gateway.carbons.CarbonsSwitch;
import io.aviary.gateway.csi.CsiFilter;
import io.aviary.gateway.sasl2.Sasl2Negotiation;
import io.aviary.gateway.sm.Downstream;
import io.aviary.gateway.sm.ManagedStream;
import io.aviary.gateway.sm.SmElements;
import io.aviary.gateway.sm.StreamHost;
import io.aviary.service.Outbox;
import io.aviary.service.StanzaKeys;
import io.aviary.xep0401.Invitation;
import io.aviary.xmpp.sasl.SaslFailureCondition;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.stanza.StreamError;
import io.aviary.xmpp.stanza.StreamErrorCondition;
import io.aviary.xmpp.stanza.XmppStreamException;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import io.aviary.xmpp.xml.XmlWriter;
import io.aviary.xmpp.xml.XmppStreamParser;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client stream from the opening tag to the close (RFC 6120 §4-§7): STARTTLS, SASL, resource
 * binding, then stanzas to and from the bus. Transport-independent; called on the connection's
 * thread for input and from any thread for deliveries. Blocking steps (SASL, registration, binding,
 * unbinding) run on the {@link StreamWorkers}; until one is done, the stream's further input is held. So it is while
 * the registry records what a presence or a carbons switch changed, which in a cluster is a Redis round trip the
 * event loop does not wait for.
 */
public final class ClientSession implements StreamEventHandler {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);
    /** Input parsed at a time: a few dozen chat messages, so a stream stops soon after the bus becomes congested. */
    private static final int FEED_SLICE = 4096;
    /** A presence the registry has nothing to record of (a subscription request, a probe). */
    private static final CompletableFuture<Void> NOTHING_TO_RECORD = CompletableFuture.completedFuture(null);

    private enum State { AWAITING_HEADER, NEGOTIATING, AUTHENTICATED, BOUND, CLOSED }

    private final GatewayContext context;
    private final Transport transport;
    private final String connectionId = UUID.randomUUID().toString();
    private final XmppStreamParser parser;
    private final InputShaping shaping;
    private volatile State state = State.AWAITING_HEADER;
    private boolean headerSent;
    private String username;
    private SaslExchange sasl;
    private Sasl2Negotiation sasl2;
    private int failedAuthentications;
    /** A blocking step of this stream is running on the workers, or it waits for the bus; input waits in {@link #held}. */
    private boolean stepRunning;
    /** The invitation a XEP-0445 {@code <preauth/>} accepted on this stream, until it is used to register. */
    private Invitation invitation;
    private final HeldInput held;
    private boolean ended;
    private volatile EntityFullJid jid;
    /** XEP-0198 stream management, and the delivery path every stanza to the client takes. */
    private final ManagedStream sm;
    /** XEP-0352: what an inactive client's deliveries wait in; positions are 0 until stream management comes. */
    private final CsiFilter csi;

    public ClientSession(GatewayContext context, Transport transport) {
        this(context, transport, InputShaping.NONE);
    }

    /** A stream whose elements and SASL success are told to {@code shaping}, its connection's traffic shaper. */
    public ClientSession(GatewayContext context, Transport transport, InputShaping shaping) {
        this.context = context;
        this.transport = transport;
        this.shaping = shaping;
        var p = context.properties();
        this.parser = new XmppStreamParser(p.parserLimitsBeforeAuth(), this);
        this.held = new HeldInput(p.maxStanzaBytes());
        this.sm = new ManagedStream(context.streamManagement(), new Host());
        // XEP-0352 sits between the stream-management sequencer and the writer: what it drops is discarded from the
        // resumption queue, so the client's count of received stanzas stays true (ResumptionStore).
        Downstream writer = sm.writer();
        this.csi = new CsiFilter(p.csi().maxHeld(), new CsiFilter.Output() {
            @Override
            public void write(long position, XmlElement stanza) {
                writer.accept(position, stanza);
            }

            @Override
            public void discarded(long position) {
                sm.discarded(position);
            }
        }, context.metrics().csiMeter());
        sm.downstream(csi::input);
        context.metrics().connectionOpened();
        context.connections().opened(this);
    }

    public String connectionId() {
        return connectionId;
    }

    public EntityFullJid jid() {
        return jid;
    }

    boolean authenticated() {
        return username != null;
    }

    Transport transport() {
        return transport;
    }

    /** This stream's XEP-0198 state: for SASL2/Bind2 inline enable and resume (see ManagedStream#enable). */
    public ManagedStream streamManagement() {
        return sm;
    }

    /** Bytes from the client, in order. */
    public void receive(byte[] bytes, int offset, int length) {
        if (state == State.CLOSED) {
            return;
        }
        sm.heard();
        take(bytes, offset, length);
    }

    /**
     * Parses input a slice at a time. Input that comes while a step runs, or once a bound stream finds the bus
     * {@link io.aviary.bus.StanzaBus#congested congested}, is held unparsed: a read of up to 64 KB is hundreds of
     * stanzas, and a thousand connections each publishing a whole read after the bus filled up kept it full
     * (docs/benchmarks.md, "The bus under overload"). The gateway's {@code BusBacklogGate} stops reading meanwhile.
     */
    private void take(byte[] bytes, int offset, int length) {
        int end = offset + length;
        for (int at = offset; at < end && state != State.CLOSED; at += FEED_SLICE) {
            if (!stepRunning && state == State.BOUND && context.bus().congested()) {
                waitForTheBus();
            }
            if (stepRunning) {
                if (!held.hold(bytes, at, end - at)) {
                    fail(new StreamError(StreamErrorCondition.POLICY_VIOLATION, "Too much input while an answer is pending"));
                }
                return;
            }
            feed(bytes, at, Math.min(FEED_SLICE, end - at));
        }
    }

    /** Holds this stream's input, as a step does, until the bus has drained. */
    private void waitForTheBus() {
        stepRunning = true;
        context.bus().whenDrained(() -> transport.execute(() -> stepDone(() -> { })));
    }

    private void feed(byte[] bytes, int offset, int length) {
        try {
            parser.feed(bytes, offset, length);
        } catch (XmppStreamException e) {
            log.debug("stream error for {}: {}", transport.remoteAddress(), e.getMessage());
            fail(e.error());
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    /** The connection went away, with or without a closing tag. */
    public void disconnected() {
        state = State.CLOSED;
        endSession();
    }

    /**
     * No input for a while ({@code aviary.gateway.parser-release-after}): between stanzas, the parser gives back its
     * buffers until the next byte. Not while a step runs, whose held input the parser takes up afterwards.
     */
    public void quiet() {
        if (!stepRunning && state != State.CLOSED && parser.rest()) {
            context.metrics().parserReleased();
        }
    }

    /** No input for the configured idle time (RFC 6120 §4.9.3.4 connection-timeout). */
    public void idle() {
        sm.silent();
    }

    /**
     * The stream was not bound within {@code aviary.gateway.negotiation-timeout}: however slowly its bytes trickle
     * in, it ends with connection-timeout (RFC 6120 §4.9.3.4).
     */
    public void negotiationTimedOut() {
        if (state != State.BOUND) {
            fail(new StreamError(StreamErrorCondition.CONNECTION_TIMEOUT, "Stream negotiation took too long"));
        }
    }

    /**
     * More output waits for the client than {@code aviary.gateway.max-outbound-queue} allows: RFC 6120 §4.9.3.17
     * resource-constraint, "the server lacks the system resources necessary to service the stream".
     */
    public void outputOverflowed() {
        transport.execute(() -> fail(new StreamError(StreamErrorCondition.RESOURCE_CONSTRAINT,
                "Too much data waiting to be sent to this client")));
    }

    /** Another connection bound this full JID: RFC 6120 §7.7.2.2, the old session ends with conflict. */
    void replacedByNewSession() {
        transport.execute(() -> fail(new StreamError(StreamErrorCondition.CONFLICT, "Replaced by new connection")));
    }

    /**
     * The server is shutting down (RFC 6120 §4.9.3.20). A resumable session is handed over instead: its connection
     * closes without a stream error and the session hibernates, for the client to resume on another gateway.
     */
    public void shutdown() {
        transport.execute(() -> {
            if (sm.resumable()) {
                connectionLost();
            } else {
                fail(new StreamError(StreamErrorCondition.SYSTEM_SHUTDOWN));
            }
        });
    }

    /**
     * The registry no longer lists this gateway's sessions (Redis lost its data, or the gateway was taken for
     * dead): routes to this stream are gone, so it ends with {@code reset} (RFC 6120 §4.9.3.17: security and
     * authentication "need to be negotiated again") and the client connects and binds afresh.
     */
    public void registryLost() {
        transport.execute(() -> fail(new StreamError(StreamErrorCondition.RESET, "The session registry was reset")));
    }

    /** A stanza routed to this session, at {@code position} in its resumption queue (0: none). Any thread. */
    void deliver(XmlElement stanza, long position) {
        transport.execute(() -> deliverNow(stanza, position));
    }

    private void deliverNow(XmlElement stanza, long position) {
        if (state == State.BOUND) {
            sm.deliver(stanza, position);
        }
    }

    @Override
    public void streamOpened(StreamHeader header) {
        if (stepRunning) {
            held.hold(() -> streamOpened(header));
            return;
        }
        StreamError error = checkHeader(header);
        if (error == null && username == null && context.loginThrottle().banned(transport.remoteAddress())) {
            // As ejabberd's mod_fail2ban: a banned address's streams end as they open (see LoginThrottle).
            error = new StreamError(StreamErrorCondition.POLICY_VIOLATION, "Too many failed logins from this address");
        }
        sendHeader(header.from());
        if (error != null) {
            fail(error);
            return;
        }
        state = username == null ? State.NEGOTIATING : State.AUTHENTICATED;
        transport.write("<stream:features>" + StreamFeatures.forState(this, context) + "</stream:features>");
    }

    /** RFC 6120 §4.8 and §4.9.3: what makes a client's stream header unacceptable. */
    private StreamError checkHeader(StreamHeader header) {
        if (!"stream".equals(header.elementName()) || !Namespaces.STREAMS.equals(header.elementNamespace())) {
            return new StreamError(StreamErrorCondition.INVALID_NAMESPACE);
        }
        if (!Namespaces.CLIENT.equals(header.contentNamespace())) {
            return new StreamError(StreamErrorCondition.INVALID_NAMESPACE);
        }
        if (header.to() != null && !header.to().toLowerCase(Locale.ROOT).equals(context.domain().toString())) {
            return new StreamError(StreamErrorCondition.HOST_UNKNOWN);
        }
        // RFC 6120 §4.7.5: no version means 0.9, which lacks SASL and binding.
        if (header.version() == null || !header.version().matches("[1-9][0-9]*\\.[0-9]+")) {
            return new StreamError(StreamErrorCondition.UNSUPPORTED_VERSION);
        }
        return null;
    }

    private void sendHeader(String clientFrom) {
        if (headerSent) {
            return;
        }
        headerSent = true;
        StringBuilder sb = new StringBuilder(256)
                .append("<?xml version='1.0'?><stream:stream xmlns='jabber:client' ")
                .append("xmlns:stream='http://etherx.jabber.org/streams' id='").append(UUID.randomUUID())
                .append("' from='").append(context.domain()).append('\'');
        if (clientFrom != null && username != null) {
            sb.append(" to='").append(XmlWriter.escape(clientFrom)).append('\'');
        }
        transport.write(sb.append(" version='1.0' xml:lang='en'>").toString());
    }

    @Override
    public void element(XmlElement element) {
        if (stepRunning) {
            held.hold(() -> element(element));
            return;
        }
        shaping.stanzaReceived();
        switch (state) {
            case NEGOTIATING -> negotiate(element);
            case AUTHENTICATED -> beforeBind(element);
            case BOUND -> established(element);
            default -> { }
        }
    }

    @Override
    public void streamClosed() {
        if (stepRunning) {
            held.hold(this::streamClosed);
            return;
        }
        if (state == State.CLOSED) {
            return;
        }
        sm.sessionEnds();
        transport.write("</stream:stream>");
        state = State.CLOSED;
        transport.close();
        endSession();
    }

    private void negotiate(XmlElement element) {
        if (sm.nonza(element, false)) {
            return;
        }
        if (element.is("starttls", Namespaces.TLS)) {
            startTls();
        } else if (element.is("auth", Namespaces.SASL)) {
            authenticate(element);
        } else if (element.is("response", Namespaces.SASL) && sasl != null) {
            saslStep(element);
        } else if (element.is("abort", Namespaces.SASL)) {
            sasl = null;
            send(SaslExchange.failure(SaslFailureCondition.ABORTED).reply());
        } else if (context.sasl2().handles(element)) {
            sasl2Step(element);
        } else if (element.is("iq", Namespaces.CLIENT) && isRegistrationRequest(element)) {
            register(element);
        } else if (element.is("iq", Namespaces.CLIENT) && isPreauthRequest(element)) {
            preauth(element);
        } else {
            // RFC 6120 §4.9.3.12: anything else before authentication.
            fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED));
        }
    }

    private void startTls() {
        if (transport.isSecure() || !transport.canStartTls()) {
            // RFC 6120 §5.4.2.2: failure, then close the stream.
            transport.write("<failure xmlns='" + Namespaces.TLS + "'/></stream:stream>");
            closeNow();
            return;
        }
        parser.requestRestart();
        headerSent = false;
        state = State.AWAITING_HEADER;
        transport.startTls("<proceed xmlns='" + Namespaces.TLS + "'/>");
    }

    public boolean mayAuthenticate() {
        return transport.isSecure() || !context.properties().tlsRequired();
    }

    private void authenticate(XmlElement auth) {
        if (!mayAuthenticate()) {
            send(SaslExchange.failure(SaslFailureCondition.ENCRYPTION_REQUIRED).reply());
            return;
        }
        String address = transport.remoteAddress();
        if (context.loginThrottle().banned(address)) {
            send(SaslExchange.failure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE).reply());
            return;
        }
        LoginAttempt attempt = new LoginAttempt(context.credentials(), context.loginThrottle(), address);
        var mechanism = context.saslMechanisms(transport, attempt).create(auth.attributeOrNull("mechanism"));
        if (mechanism.isEmpty()) {
            send(SaslExchange.failure(SaslFailureCondition.INVALID_MECHANISM).reply());
            return;
        }
        sasl = new SaslExchange(mechanism.get(), attempt);
        saslStep(auth);
    }

    /** Each step may derive keys (PBKDF2) or look the account up, so it runs on the workers. */
    private void saslStep(XmlElement element) {
        SaslExchange exchange = sasl;
        if (!offload(() -> exchange.step(element), this::saslDone)) {
            sasl = null;
            send(SaslExchange.failure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE).reply());
        }
    }

    private void saslDone(SaslExchange.Outcome outcome) {
        if (state == State.CLOSED) {
            return;
        }
        if (outcome.succeeded()) {
            sasl = null;
            username = outcome.username();
            shaping.authenticated();
            send(outcome.reply());
            parser.setLimits(context.properties().parserLimits());
            // RFC 6120 §6.4.6: both sides restart the stream without closing it.
            parser.requestRestart();
            held.dropEvents();
            headerSent = false;
            state = State.AWAITING_HEADER;
        } else if (outcome.failed()) {
            sasl = null;
            send(outcome.reply());
            authenticationFailed();
        } else {
            send(outcome.reply());
        }
    }

    private void authenticationFailed() {
        context.metrics().authenticationFailed();
        if (++failedAuthentications >= context.properties().maxAuthAttempts()) {
            // RFC 6120 §6.4.5: past the retry limit, close with policy-violation.
            fail(new StreamError(StreamErrorCondition.POLICY_VIOLATION, "Too many failed authentication attempts"));
        }
    }

    /** XEP-0388 SASL2 (with Bind2 and FAST): its steps run on the workers like RFC 6120 SASL's. */
    private void sasl2Step(XmlElement element) {
        if (sasl2 == null) {
            sasl2 = context.sasl2().negotiation(context, this, transport);
        }
        Sasl2Negotiation negotiation = sasl2;
        if (!offload(() -> negotiation.step(element), this::sasl2Done)) {
            sasl2 = null;
            send(Sasl2Negotiation.busy());
        }
    }

    /**
     * XEP-0388 §3.5.1: no stream restart; {@code <success/>} is followed by the features of the new state. Inline
     * XEP-0198 answers go into it: {@code <resumed/>} or {@code <failed/>} for a {@code <resume/>}, and
     * {@code <enabled/>} inside Bind2's {@code <bound/>}.
     */
    private void sasl2Done(Sasl2Negotiation.Outcome outcome) {
        if (outcome.jid() != null) {
            sessionBound(outcome.jid());
        }
        if (state == State.CLOSED) {
            return;
        }
        if (!outcome.succeeded()) {
            send(outcome.reply());
            if (outcome.failed()) {
                sasl2 = null;
                if (outcome.reply().child(SaslFailureCondition.ABORTED.elementName(), Namespaces.SASL).isEmpty()) {
                    authenticationFailed();
                }
            }
            return;
        }
        sasl2 = null;
        username = outcome.username();
        shaping.authenticated();
        parser.setLimits(context.properties().parserLimits());
        XmlElement success = outcome.reply();
        Runnable afterSuccess = () -> { };
        if (outcome.resume() != null) {
            ManagedStream.ResumeReply resumed = sm.completeResume(outcome.resume());
            if (resumed.reply() == null) {
                return; // the stream ended (handled-count-too-high)
            }
            success = success.withChild(resumed.reply());
            afterSuccess = resumed.afterReply();
        }
        if (state != State.BOUND) {
            state = jid != null ? State.BOUND : State.AUTHENTICATED;
            if (jid != null) {
                sm.bound();
            }
        }
        if (outcome.enableStreamManagement() != null && jid != null) {
            success = withinBound(success, sm.enable(outcome.enableStreamManagement()));
        }
        // A nonza, not a stanza: written as is, outside stream management's count and queue.
        transport.write(XmlWriter.write(success, Namespaces.CLIENT));
        transport.write("<stream:features>" + StreamFeatures.forState(this, context) + "</stream:features>");
        afterSuccess.run();
    }

    /** {@code success} with {@code answer} added to its XEP-0386 {@code <bound/>}. */
    private static XmlElement withinBound(XmlElement success, XmlElement answer) {
        List<XmlNode> children = success.children().stream()
                .map(child -> child instanceof XmlElement e && e.is("bound", Sasl2Negotiation.BIND) ? e.withChild(answer) : child)
                .toList();
        return success.withChildren(children);
    }

    boolean registrationOffered() {
        return context.registration().isPresent() && context.properties().registrationOpen() && mayAuthenticate();
    }

    /** XEP-0445: registration with an invitation's token, whether or not registration is open. */
    boolean invitationsOffered() {
        return context.registration().map(InBandRegistration::takesInvitations).orElse(false) && mayAuthenticate();
    }

    private static boolean isPreauthRequest(XmlElement iq) {
        return iq.firstChild().map(c -> c.is("preauth", InBandRegistration.PREAUTH_NAMESPACE)).orElse(false);
    }

    /** XEP-0445: the invitation a valid token stands for is held by this stream until it registers with it. */
    private void preauth(XmlElement iq) {
        Stanza request = new Stanza(Stanza.Kind.IQ, iq);
        if (!InBandRegistration.isPreauth(request)) {
            return; // results and errors are never answered; a get is not a request XEP-0445 defines
        }
        if (!invitationsOffered()) {
            send(request.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE).element());
            return;
        }
        boolean offloaded = offload(() -> context.registration().orElseThrow().preauth(request), accepted -> {
            if (accepted.accepted() != null) {
                invitation = accepted.accepted();
            }
            answer(accepted.reply());
        });
        if (!offloaded) {
            send(request.errorReply(StanzaErrorCondition.RESOURCE_CONSTRAINT).element());
        }
    }

    private static boolean isRegistrationRequest(XmlElement iq) {
        return iq.firstChild().map(c -> c.is("query", "jabber:iq:register")).orElse(false);
    }

    private void register(XmlElement iq) {
        Stanza request = new Stanza(Stanza.Kind.IQ, iq);
        if (!InBandRegistration.accepts(request)) {
            return; // results and errors are never answered (RFC 6120 §8.2.3)
        }
        Invitation held = invitation;
        if (!registrationOffered() && held == null) {
            send(request.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE).element());
            return;
        }
        // Asking for the form costs nothing; submissions count against the address.
        String address = transport.remoteAddress();
        boolean submission = "set".equals(request.type());
        if (submission && !context.registrationThrottle().reserve(address)) {
            send(InBandRegistration.throttled(request).element());
            return;
        }
        // Creating an account derives its keys (PBKDF2) and writes the store, so it runs on the workers.
        boolean offloaded = offload(() -> {
            Stanza reply = context.registration().orElseThrow().handle(request, held);
            if (submission && reply.isError()) {
                context.registrationThrottle().release(address);
            }
            return reply;
        }, reply -> {
            if (submission && !reply.isError()) {
                invitation = null; // spent
            }
            answer(reply);
        });
        if (!offloaded) {
            if (submission) {
                context.registrationThrottle().release(address);
            }
            send(request.errorReply(StanzaErrorCondition.RESOURCE_CONSTRAINT).element());
        }
    }

    private void beforeBind(XmlElement element) {
        if (sm.nonza(element, true)) {
            return;
        }
        if (element.is("resume", SmElements.NAMESPACE) && sm.offered()) {
            resume(element);
            return;
        }
        Stanza iq = Stanza.of(element).filter(Stanza::isIq).orElse(null);
        if (iq == null) {
            // RFC 6120 §7.1: no stanzas before a resource is bound.
            fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED));
            return;
        }
        XmlElement payload = iq.payload().orElse(null);
        if (payload != null && payload.is("bind", Namespaces.BIND) && "set".equals(iq.type())) {
            // The registry may be Redis: binding runs on the workers.
            String account = username;
            if (!offload(() -> new ResourceBinding(context).bind(account, iq, connectionId), this::bound)) {
                // RFC 6120 §8.3.3.18: the server lacks the resources to service the request now.
                send(iq.errorReply(StanzaErrorCondition.RESOURCE_CONSTRAINT).element());
            }
        } else if (payload != null && payload.is("session", Namespaces.SESSION)) {
            send(iq.iqResult(null).element());
        } else {
            fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED));
        }
    }

    /** A binding made while the stream closed is recorded all the same, so that ending the session undoes it. */
    private void bound(ResourceBinding.Result result) {
        if (result.jid() != null) {
            sessionBound(result.jid());
        }
        if (state == State.CLOSED) {
            return;
        }
        if (result.jid() != null) {
            state = State.BOUND;
            sm.bound();
        }
        send(result.reply().element());
    }

    /** XEP-0198 §5: resumption instead of binding; the store and registry may be remote, so it runs on the workers. */
    private void resume(XmlElement resume) {
        EntityBareJid account = context.account(username);
        if (!offload(() -> sm.attemptResume(account, resume), this::resumeDone)) {
            transport.write(XmlWriter.write(SmElements.failed(StanzaErrorCondition.RESOURCE_CONSTRAINT, null), null));
        }
    }

    private void resumeDone(ManagedStream.ResumeAttempt attempt) {
        ManagedStream.ResumeReply reply = sm.completeResume(attempt);
        if (reply.reply() != null && state != State.CLOSED) {
            transport.write(XmlWriter.write(reply.reply(), null));
            reply.afterReply().run();
        }
    }

    /** A resumption made this stream the session of {@code resumed}; recorded even if the stream closed meanwhile. */
    private void resumed(EntityFullJid resumed) {
        sessionBound(resumed);
        if (state != State.CLOSED) {
            state = State.BOUND;
            sm.bound();
        }
    }

    private void sessionBound(EntityFullJid bound) {
        jid = bound;
        context.connections().bound(this);
        context.metrics().sessionBound();
    }

    boolean bound() {
        return jid != null;
    }

    private void answer(Stanza reply) {
        if (state != State.CLOSED) {
            send(reply.element());
        }
    }

    /**
     * Runs {@code step} on the workers and {@code then} with its result back on this connection's thread; meanwhile
     * the stream's input is held, and afterwards taken up again in order. False, running nothing, when the workers
     * are full.
     */
    private <T> boolean offload(Supplier<T> step, Consumer<T> then) {
        stepRunning = context.workers().tryExecute(() -> {
            Runnable done;
            try {
                T result = step.get();
                done = () -> then.accept(result);
            } catch (RuntimeException e) {
                done = () -> internalError(e);
            }
            Runnable finish = done;
            transport.execute(() -> stepDone(finish));
        });
        return stepRunning;
    }

    /**
     * Continues with {@code then} once a registry write is answered: at once when it already is (the in-process
     * registry), otherwise on this connection's thread when it comes (Redis, in a cluster), the stream's input held
     * meanwhile as for a step, so that what the client sends next stays behind it. The event loop never waits.
     */
    private <T> void after(CompletableFuture<T> write, Consumer<T> then) {
        if (write.isDone() && !write.isCompletedExceptionally()) {
            then.accept(write.join());
            return;
        }
        stepRunning = true;
        write.whenComplete((result, failure) -> transport.execute(() -> stepDone(
                failure == null ? () -> then.accept(result) : () -> internalError(failure))));
    }

    private void internalError(Throwable failure) {
        log.error("internal error on stream of {}", transport.remoteAddress(), failure);
        fail(new StreamError(StreamErrorCondition.INTERNAL_SERVER_ERROR));
    }

    private void stepDone(Runnable finish) {
        stepRunning = false;
        finish.run();
        if (state == State.CLOSED) {
            endSession();
            return;
        }
        Runnable event;
        while (!stepRunning && state != State.CLOSED && (event = held.nextEvent()) != null) {
            event.run();
        }
        if (!stepRunning && state != State.CLOSED) {
            byte[] bytes = held.takeBytes();
            if (bytes.length > 0) {
                take(bytes, 0, bytes.length);
            }
        }
    }

    private void established(XmlElement element) {
        if (element.namespace().equals(CsiFilter.NAMESPACE)) {
            csi.clientState(element.name());
            return;
        }
        if (sm.nonza(element, true) || sm.answersProbe(element)) {
            return;
        }
        Stanza stanza = Stanza.of(element).orElse(null);
        if (stanza == null) {
            // RFC 6120 §4.9.3.22: a first-level element we do not know.
            fail(new StreamError(StreamErrorCondition.UNSUPPORTED_STANZA_TYPE));
            return;
        }
        sm.handled();
        context.metrics().stanzaIn(stanza.kind().elementName());
        // RFC 6120 §8.1.2.1: the server stamps the full JID of the sending session.
        stanza = stanza.withFrom(jid.toString());
        StanzaErrorCondition invalid = StanzaChecks.problem(stanza);
        if (invalid != null) {
            if (!stanza.isError()) {
                send(stanza.errorReply(invalid).element());
            }
            return;
        }
        if (stanza.isIq() && stanza.payload().map(p -> p.is("session", Namespaces.SESSION)).orElse(false)) {
            send(stanza.iqResult(null).element());
            return;
        }
        if (stanza.isIq() && stanza.payload().map(p -> p.is("bind", Namespaces.BIND)).orElse(false)) {
            send(stanza.errorReply(StanzaErrorCondition.NOT_ALLOWED).element());
            return;
        }
        Optional<Boolean> carbons = CarbonsSwitch.requested(stanza, jid);
        if (carbons.isPresent()) {
            Stanza request = stanza;
            after(context.registry().updateCarbonsLater(jid, connectionId, carbons.get()),
                    recorded -> send(request.iqResult(null).element()));
            return;
        }
        if (stanza.isPresence()) {
            presence(stanza);
            return;
        }
        publish(stanza);
    }

    /**
     * Presence is recorded in the registry before it is routed, so that the router finds the resource as the presence
     * left it (RFC 6121 §8.5.3.2: available resources get the messages to the bare JID).
     */
    private void presence(Stanza presence) {
        boolean broadcast = presence.toAttribute() == null;
        after(broadcast ? trackOwnPresence(presence) : trackDirectedPresence(presence), recorded -> {
            publish(presence);
            if (broadcast && "unavailable".equals(presence.type())) {
                // RFC 6121 §4.6.3: when the resource becomes unavailable, so does its directed presence.
                EntityFullJid from = jid;
                after(context.registry().takeDirectedPresenceLater(from),
                        targets -> new Outbox(context.bus()).directedPresenceEnded(from, targets));
            }
        });
    }

    /** Broadcast presence sets the resource's availability and priority (RFC 6121 §4.2, §4.7.2.3). */
    private CompletableFuture<Void> trackOwnPresence(Stanza presence) {
        String type = presence.type();
        if (type == null) {
            int priority = presence.element().childText("priority", Namespaces.CLIENT)
                    .map(StanzaChecks::priority).orElse(0);
            return context.registry().updatePresenceLater(jid, connectionId, priority, true);
        } else if (type.equals("unavailable")) {
            return context.registry().updatePresenceLater(jid, connectionId, 0, false);
        }
        return NOTHING_TO_RECORD;
    }

    /**
     * RFC 6121 §4.6.2: available presence to a JID is remembered until unavailable presence follows; in the session
     * registry, so the targets still get unavailable presence when the session outlives this connection (XEP-0198) or
     * ends with a dead gateway.
     */
    private CompletableFuture<Void> trackDirectedPresence(Stanza presence) {
        if (presence.type() == null || presence.type().equals("unavailable")) {
            return context.registry().directedPresenceLater(jid, connectionId, presence.toAttribute(),
                    presence.type() == null);
        }
        return NOTHING_TO_RECORD;
    }

    private void publish(Stanza stanza) {
        context.bus().publish(Topics.ROUTE, StanzaKeys.routeKey(stanza), BusMessage.of(stanza.element()));
    }

    /** Once bound, stanzas go the delivery path, so that stream management counts (and queues) them. */
    private void send(XmlElement element) {
        if (state == State.BOUND) {
            sm.deliver(element, 0);
        } else {
            transport.write(XmlWriter.write(element, Namespaces.CLIENT));
        }
    }

    private void fail(StreamError error) {
        fail(error, null);
    }

    /** Ends the stream, and with it the session, with {@code error} and an application-specific condition (§4.9.4). */
    private void fail(StreamError error, XmlElement applicationCondition) {
        if (state == State.CLOSED) {
            return;
        }
        sm.sessionEnds();
        sendHeader(null);
        String extra = applicationCondition == null ? "" : XmlWriter.write(applicationCondition, null);
        transport.write("<stream:error>" + error.toElement().elements()
                .map(e -> XmlWriter.write(e, null)).reduce("", String::concat) + extra + "</stream:error></stream:stream>");
        context.metrics().streamError(error.condition().elementName());
        closeNow();
    }

    /** The connection is taken for lost (idle, unanswered probe, gateway stop): closed without a word. */
    private void connectionLost() {
        if (state != State.CLOSED) {
            closeNow();
        }
    }

    private void closeNow() {
        state = State.CLOSED;
        transport.close();
        endSession();
    }

    /** Once per stream; while a step runs, that step's end calls it again (its result may be a binding to undo). */
    private void endSession() {
        if (ended || stepRunning) {
            return;
        }
        ended = true;
        EntityFullJid bound = jid;
        jid = null;
        context.connections().closed(this);
        boolean outlived = sm.outlive(bound, context.workers()::execute);
        if (bound != null && !outlived) {
            context.workers().execute(() -> {
                boolean stillOurs = context.registry().unbind(bound, connectionId);
                if (stillOurs) {
                    Outbox outbox = new Outbox(context.bus());
                    outbox.sessionEnded(bound);
                    // RFC 6121 §4.6.3: the session's directed presence ends with it.
                    outbox.directedPresenceEnded(bound, context.registry().takeDirectedPresence(bound));
                }
            });
        }
        if (bound != null) {
            context.metrics().sessionUnbound();
        }
        context.metrics().connectionClosed();
    }

    /**
     * XEP-0077 §3.2: after cancelling the account the server "SHOULD then return a {@code <not-authorized/>} stream
     * error". {@code lastWord}, when it is an {@code iq}, is the cancellation's result for this session: written in
     * the same event-loop task as the error, so nothing can come between them.
     */
    void accountRemoved(XmlElement lastWord) {
        transport.execute(() -> {
            if (lastWord.is("iq", Namespaces.CLIENT)) {
                deliverNow(lastWord, 0);
            }
            fail(new StreamError(StreamErrorCondition.NOT_AUTHORIZED, "The account was removed"));
        });
    }

    /** An administrator ended the session ({@link BusMessage#CONTROL_KICK}). */
    void endedByAdministrator() {
        transport.execute(() -> fail(new StreamError(StreamErrorCondition.POLICY_VIOLATION,
                "The session was ended by an administrator")));
    }

    /** What stream management sees of this stream. */
    private final class Host implements StreamHost {

        @Override
        public Transport transport() {
            return transport;
        }

        @Override
        public String connectionId() {
            return connectionId;
        }

        @Override
        public EntityFullJid jid() {
            return jid;
        }

        @Override
        public void writeStanza(XmlElement stanza, XmlElement nonza) {
            String xml = XmlWriter.write(stanza, Namespaces.CLIENT);
            transport.write(nonza == null ? xml : xml + XmlWriter.write(nonza, null));
            context.metrics().stanzaOut(stanza.name());
        }

        @Override
        public void fail(StreamError error, XmlElement applicationCondition) {
            ClientSession.this.fail(error, applicationCondition);
        }

        @Override
        public void connectionLost() {
            ClientSession.this.connectionLost();
        }

        @Override
        public void resumed(EntityFullJid resumed) {
            ClientSession.this.resumed(resumed);
        }
    }
}
