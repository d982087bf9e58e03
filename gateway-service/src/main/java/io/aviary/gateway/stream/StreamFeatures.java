package io.aviary.gateway.stream;

import io.aviary.account.InBandRegistration;
import io.aviary.gateway.sm.SmElements;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlWriter;
import java.util.ArrayList;
import java.util.List;

/** The content of {@code <stream:features/>} for the stage a stream has reached (RFC 6120 §4.3.2). */
final class StreamFeatures {

    private static final String REGISTER_FEATURE = "http://jabber.org/features/iq-register";

    private StreamFeatures() {
    }

    static String forState(ClientSession session, GatewayContext context) {
        List<XmlElement> features = new ArrayList<>();
        if (session.bound()) {
            // Bound inline by XEP-0386 Bind2: the features of an established stream.
            features.addAll(context.streamFeatures().get());
        } else if (session.authenticated()) {
            features.add(XmlElement.empty("bind", Namespaces.BIND));
            // RFC 6121 Appendix E: the session feature is advertised as optional for old clients.
            features.add(XmlElement.builder("session", Namespaces.SESSION)
                    .child(XmlElement.empty("optional", Namespaces.SESSION)).build());
            features.addAll(context.streamFeatures().get());
            if (session.streamManagement().offered()) {
                features.add(SmElements.feature());
            }
        } else {
            Transport transport = session.transport();
            if (!transport.isSecure() && transport.canStartTls()) {
                XmlElement.Builder starttls = XmlElement.builder("starttls", Namespaces.TLS);
                if (context.properties().tlsRequired()) {
                    starttls.child(XmlElement.empty("required", Namespaces.TLS));
                }
                features.add(starttls.build());
            }
            if (session.mayAuthenticate()) {
                XmlElement.Builder mechanisms = XmlElement.builder("mechanisms", Namespaces.SASL);
                for (String name : context.saslMechanisms(transport).offered()) {
                    mechanisms.textChild("mechanism", name);
                }
                features.add(mechanisms.build());
                context.sasl2().feature(context, transport).ifPresent(features::add);
                if (!context.channelBindings(transport).isEmpty()) {
                    // XEP-0440: tell the client which channel-binding types it can use with -PLUS.
                    XmlElement.Builder bindings = XmlElement.builder("sasl-channel-binding", Namespaces.SASL_CB);
                    for (String type : context.channelBindings(transport).types()) {
                        bindings.child(XmlElement.builder("channel-binding", Namespaces.SASL_CB)
                                .attribute("type", type).build());
                    }
                    features.add(bindings.build());
                }
            }
            if (session.registrationOffered()) {
                features.add(XmlElement.empty("register", REGISTER_FEATURE));
            }
            if (session.invitationsOffered()) {
                features.add(InBandRegistration.TOKEN_FEATURE);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (XmlElement feature : features) {
            XmlWriter.write(feature, null, sb);
        }
        return sb.toString();
    }
}
