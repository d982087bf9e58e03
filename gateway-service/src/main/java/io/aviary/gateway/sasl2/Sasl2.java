package io.aviary.gateway.sasl2;

import io.aviary.account.FastTokenStore;
import io.aviary.gateway.stream.ClientSession;
import io.aviary.gateway.stream.GatewayContext;
import io.aviary.gateway.stream.Transport;
import io.aviary.xmpp.sasl.HashedTokenServer;
import io.aviary.xmpp.xml.XmlElement;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.aviary.gateway.sm.SmElements;

/**
 * One-round-trip login for a gateway: the XEP-0388 {@code <authentication/>} stream feature with its inline features
 * (XEP-0386 Bind2 and what may be enabled in it, XEP-0484 FAST) and the {@link Sasl2Negotiation} of each stream.
 */
public final class Sasl2 {

    private static final Set<String> ELEMENTS = Set.of("authenticate", "response", "abort");

    private final Sasl2Properties properties;
    private final FastTokens fastTokens;
    private final List<Bind2Feature> bind2Features;
    private final Sasl2Metrics metrics;
    private final SecureRandom random;

    public Sasl2(Sasl2Properties properties, FastTokenStore tokens, List<Bind2Feature> bind2Features,
                 Sasl2Metrics metrics, SecureRandom random, Clock clock) {
        this.properties = properties;
        this.fastTokens = new FastTokens(tokens, properties, random, clock);
        this.bind2Features = List.copyOf(bind2Features);
        this.metrics = metrics;
        this.random = random;
    }

    /** Whether {@code element} is a client's SASL2 element, to hand to {@link #negotiation}. */
    public boolean handles(XmlElement element) {
        return properties.enabled() && Authenticate.NAMESPACE.equals(element.namespace())
                && ELEMENTS.contains(element.name());
    }

    /** The SASL2 exchange of one stream: made at its first SASL2 element, dropped once it has an outcome. */
    public Sasl2Negotiation negotiation(GatewayContext context, ClientSession session, Transport transport) {
        return new Sasl2Negotiation(this, context, session, transport);
    }

    /**
     * XEP-0388 §2.1: the {@code <authentication/>} feature with the mechanisms RFC 6120 SASL offers on this stream
     * (XEP-0474's hash covers these and only these), and the inline features; empty when SASL2 is off.
     */
    public Optional<XmlElement> feature(GatewayContext context, Transport transport) {
        if (!properties.enabled()) {
            return Optional.empty();
        }
        XmlElement.Builder authentication = XmlElement.builder("authentication", Authenticate.NAMESPACE);
        for (String name : context.saslMechanisms(transport).offered()) {
            authentication.textChild("mechanism", name);
        }
        return Optional.of(authentication.child(inline(context, transport)).build());
    }

    /**
     * The SASL2 inline features. Each is an element the client may put into {@code <authenticate/>}, handled in
     * {@link Sasl2Negotiation}: Bind2, FAST, and XEP-0198 {@code <sm xmlns='urn:xmpp:sm:3'/>} where the transport has
     * stream management (inline {@code <resume/>}, and {@code <enable/>} inside Bind2). Other features enabled inside
     * Bind2 are {@link Bind2Feature} beans.
     */
    private XmlElement inline(GatewayContext context, Transport transport) {
        XmlElement.Builder inline = XmlElement.builder("inline", Authenticate.NAMESPACE);
        XmlElement.Builder bindInline = XmlElement.builder("inline", Authenticate.BIND);
        bind2Features.forEach(f -> bindInline.child(XmlElement.builder("feature", Authenticate.BIND)
                .attribute("var", f.var()).build()));
        boolean streamManagement = context.streamManagement().properties().enabled()
                && transport.supportsStreamManagement();
        if (streamManagement) {
            bindInline.child(XmlElement.builder("feature", Authenticate.BIND).attribute("var", SmElements.NAMESPACE).build());
        }
        inline.child(XmlElement.builder("bind", Authenticate.BIND).child(bindInline.build()).build());
        if (streamManagement) {
            inline.child(SmElements.feature());
        }
        List<String> fast = fastMechanisms(context, transport);
        if (!fast.isEmpty()) {
            XmlElement.Builder element = XmlElement.builder("fast", Authenticate.FAST);
            fast.forEach(name -> element.textChild("mechanism", name));
            inline.child(element.build());
        }
        return inline.build();
    }

    /** XEP-0484 §7: FAST "MUST only be performed over a secure connection"; channel-bound variants where possible. */
    List<String> fastMechanisms(GatewayContext context, Transport transport) {
        if (!properties.fast() || !transport.isSecure()) {
            return List.of();
        }
        return HashedTokenServer.offered(context.channelBindings(transport));
    }

    FastTokens fastTokens() {
        return fastTokens;
    }

    List<Bind2Feature> bind2Features() {
        return bind2Features;
    }

    Sasl2Metrics metrics() {
        return metrics;
    }

    SecureRandom random() {
        return random;
    }
}
