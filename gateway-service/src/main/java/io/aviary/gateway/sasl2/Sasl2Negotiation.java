package io.aviary.gateway.sasl2;

import io.aviary.gateway.stream.ClientSession;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.stream.LoginAttempt;
import io.aviary.gateway.stream.ResourceBinding;
import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.sasl.HashedTokenServer;
import io.aviary.xmpp.sasl.SaslFailure;
import io.aviary.xmpp.sasl.SaslFailureCondition;
import io.aviary.xmpp.sasl.SaslServerMechanism;
import io.aviary.xmpp.sasl.SaslStep;
import io.aviary.xmpp.xml.XmlElement;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import io.aviary.gateway.sm.ManagedStream;
import io.aviary.gateway.sm.SmElements;
import java.util.Base64;
import java.util.Optional;
import org.jxmpp.jid.EntityFullJid;

/**
 * One stream's XEP-0388 exchange: {@code <authenticate/>}, any {@code <challenge/>}/{@code <response/>} rounds, then
 * {@code <success/>} or {@code <failure/>}; on success the Bind2 request is carried out and a FAST token issued
 * before {@code <success/>} is written, so a client that sent everything at once is bound after one round trip of
 * its mechanism. Steps run on the stream workers (PBKDF2, account and token lookups, the registry's bind); the
 * stream holds its input meanwhile. Failures count against the {@link LoginAttempt}'s throttle exactly as RFC 6120
 * SASL's do.
 */
public final class Sasl2Negotiation {

    private static final String SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
    /** XEP-0386's namespace, of the {@code <bound/>} in {@code <success/>}. */
    public static final String BIND = Authenticate.BIND;

    /**
     * The server's answer. On success {@code username} is set, and {@code jid} when Bind2 bound a resource;
     * {@code failed} when the client is not authenticated and the attempt is over. {@code resume} is the blocking half
     * of an inline XEP-0198 resumption and {@code enableStreamManagement} an {@code <enable/>} found in Bind2: the
     * connection's thread completes both ({@link ManagedStream}) and puts their answers into {@code <success/>}.
     */
    public record Outcome(XmlElement reply, String username, EntityFullJid jid, boolean failed,
                          ManagedStream.ResumeAttempt resume, XmlElement enableStreamManagement) {

        Outcome(XmlElement reply, String username, EntityFullJid jid, boolean failed) {
            this(reply, username, jid, failed, null, null);
        }

        public boolean succeeded() {
            return username != null;
        }
    }

    private final Sasl2 sasl2;
    private final GatewayContext context;
    private final ClientSession session;
    private final Transport transport;
    private Authenticate request;
    private SaslServerMechanism mechanism;
    private LoginAttempt attempt;
    private FastTokens.Attempt fast;

    Sasl2Negotiation(Sasl2 sasl2, GatewayContext context, ClientSession session, Transport transport) {
        this.sasl2 = sasl2;
        this.context = context;
        this.session = session;
        this.transport = transport;
    }

    /** The answer when the workers are too busy to take the step (RFC 6120 §6.5.11). */
    public static XmlElement busy() {
        return failure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE, null);
    }

    /** Takes the client's next SASL2 element; blocking, so on a worker. */
    public Outcome step(XmlElement element) {
        if (element.is("abort", Authenticate.NAMESPACE)) {
            // XEP-0388 §3.7: the client may abort at any time; not a failed login.
            return new Outcome(failure(SaslFailureCondition.ABORTED, null), null, null, true);
        }
        if (element.is("authenticate", Authenticate.NAMESPACE) && mechanism == null) {
            return start(element);
        }
        if (element.is("response", Authenticate.NAMESPACE) && mechanism != null) {
            byte[] response;
            try {
                response = Authenticate.decode(element.text());
            } catch (IllegalArgumentException e) {
                return failed(SaslFailureCondition.INCORRECT_ENCODING);
            }
            return evaluate(response);
        }
        return failed(SaslFailureCondition.MALFORMED_REQUEST);
    }

    private Outcome start(XmlElement element) {
        if (!session.mayAuthenticate()) {
            return new Outcome(failure(SaslFailureCondition.ENCRYPTION_REQUIRED, null), null, null, true);
        }
        String address = transport.remoteAddress();
        if (context.loginThrottle().banned(address)) {
            return new Outcome(failure(SaslFailureCondition.TEMPORARY_AUTH_FAILURE, null), null, null, true);
        }
        try {
            request = Authenticate.parse(element);
        } catch (IllegalArgumentException e) {
            return new Outcome(failure(SaslFailureCondition.INCORRECT_ENCODING, null), null, null, true);
        }
        attempt = new LoginAttempt(context.credentials(), context.loginThrottle(), address);
        Optional<SaslServerMechanism> chosen;
        if (sasl2.fastMechanisms(context, transport).contains(request.mechanism())) {
            String client = request.userAgentId() == null ? null : FastTokens.client(request.userAgentId());
            fast = sasl2.fastTokens().attempt(client, request.fastCount(), request.fastInvalidate(), attempt);
            chosen = HashedTokenServer.create(request.mechanism(), context.channelBindings(transport), fast);
        } else {
            // XEP-0388 §2.3: a mechanism not announced fails the authentication.
            chosen = context.saslMechanisms(transport, attempt).create(request.mechanism());
        }
        if (chosen.isEmpty()) {
            return new Outcome(failure(SaslFailureCondition.INVALID_MECHANISM, null), null, null, true);
        }
        mechanism = chosen.get();
        return evaluate(request.initialResponse());
    }

    private Outcome evaluate(byte[] clientData) {
        SaslStep step;
        try {
            step = mechanism.evaluate(clientData);
        } catch (SaslFailure e) {
            return failed(e.condition());
        }
        if (!step.complete()) {
            return new Outcome(XmlElement.builder("challenge", Authenticate.NAMESPACE)
                    .text(Base64.getEncoder().encodeToString(step.data())).build(), null, null, false);
        }
        return succeeded(mechanism.authenticatedUsername(), step.data());
    }

    private Outcome failed(SaslFailureCondition condition) {
        if (attempt != null) {
            attempt.failed(condition);
        }
        sasl2.metrics().login(fast != null, false);
        return new Outcome(failure(condition, null), null, null, true);
    }

    private Outcome succeeded(String username, byte[] additionalData) {
        XmlElement.Builder success = XmlElement.builder("success", Authenticate.NAMESPACE);
        if (additionalData != null) {
            success.textChild("additional-data", Base64.getEncoder().encodeToString(additionalData));
        }
        // XEP-0198 inline in SASL2: a <resume/> in <authenticate/> is tried first. A resumed session needs no new
        // resource, so a Bind2 request is processed only when there is nothing to resume.
        ManagedStream.ResumeAttempt resume = null;
        if (request.resume() != null && session.streamManagement().offered()) {
            resume = session.streamManagement().attemptResume(context.account(username), request.resume());
        }
        EntityFullJid jid = null;
        XmlElement bound = null;
        XmlElement enableStreamManagement = null;
        if (request.bind() != null && (resume == null || !resume.resumes())) {
            // XEP-0386 §3.2: the bind request is processed after authentication, before <success/>.
            String tag = request.bind().childText("tag", Authenticate.BIND).orElse(null);
            ResourceBinding.Binding binding = new ResourceBinding(context).bind(username,
                    Bind2.resource(username, tag, request.userAgentId(), sasl2.random()), session.connectionId());
            if (binding.error() != null) {
                // Authenticated but not bound: no stanza error fits SASL2, so the attempt ends (not a wrong password).
                return new Outcome(failure(SaslFailureCondition.ABORTED, "Resource binding failed: "
                        + binding.error().elementName()), null, null, true);
            }
            jid = binding.jid();
            bound = bound(new BoundSession(jid, session.connectionId(), session));
            // Enabling stream management touches the stream's own state: the connection's thread does it, and puts
            // its <enabled/> into <bound/> (ClientSession).
            enableStreamManagement = request.bind().child("enable", SmElements.NAMESPACE)
                    .filter(enable -> session.streamManagement().offered()).orElse(null);
        }
        success.textChild("authorization-identifier",
                jid != null ? jid.toString() : username + "@" + context.domain());
        if (bound != null) {
            success.child(bound);
        }
        token(username).ifPresent(success::child);
        sasl2.metrics().login(fast != null, true);
        return new Outcome(success.build(), username, jid, false, resume, enableStreamManagement);
    }

    /** The {@code <bound/>} element, with what the inline features the client asked for answered. */
    private XmlElement bound(BoundSession session) {
        XmlElement.Builder bound = XmlElement.builder("bound", Authenticate.BIND);
        request.bind().elements().forEach(child -> sasl2.bind2Features().stream()
                .filter(feature -> feature.requests(child)).findFirst()
                .flatMap(feature -> feature.enable(session, child))
                .ifPresent(bound::child));
        return bound.build();
    }

    /**
     * XEP-0484 §4.2-§4.6: a token when the client asked for one (with a user-agent id, which names the client), or a
     * fresh one when the token just used is due for rotation, unless it was just invalidated.
     */
    private Optional<XmlElement> token(String username) {
        if (request.userAgentId() == null) {
            return Optional.empty();
        }
        String mechanismName = null;
        if (request.requestToken() != null
                && sasl2.fastMechanisms(context, transport).contains(request.requestToken())) {
            mechanismName = request.requestToken();
        } else if (fast != null && !request.fastInvalidate()
                && fast.matched().filter(sasl2.fastTokens()::dueForRotation).isPresent()) {
            mechanismName = mechanism.name();
        }
        if (mechanismName == null) {
            return Optional.empty();
        }
        FastTokens.Issued issued = sasl2.fastTokens().issue(username, FastTokens.client(request.userAgentId()),
                mechanismName);
        sasl2.metrics().tokenIssued();
        return Optional.of(XmlElement.builder("token", Authenticate.FAST)
                .attribute("expiry", DateTimeFormatter.ISO_INSTANT.format(issued.expiry().truncatedTo(ChronoUnit.SECONDS)))
                .attribute("token", issued.token()).build());
    }

    /** XEP-0388 §3.5.2: one of RFC 6120 §6.5's conditions, and optionally a text. */
    private static XmlElement failure(SaslFailureCondition condition, String text) {
        XmlElement.Builder failure = XmlElement.builder("failure", Authenticate.NAMESPACE)
                .child(XmlElement.empty(condition.elementName(), SASL));
        if (text != null) {
            failure.textChild("text", text);
        }
        return failure.build();
    }
}
