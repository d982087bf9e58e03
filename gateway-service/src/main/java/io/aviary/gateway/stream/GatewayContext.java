package io.aviary.gateway.stream;

import io.aviary.account.InBandRegistration;
import io.aviary.bus.StanzaBus;
import io.aviary.gateway.GatewayMetrics;
import io.aviary.gateway.GatewayProperties;
import io.aviary.gateway.sm.StreamManagement;
import io.aviary.gateway.sasl2.Sasl2;
import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.sasl.ChannelBindings;
import io.aviary.xmpp.sasl.CredentialLookup;
import io.aviary.xmpp.sasl.DecoyCredentials;
import io.aviary.xmpp.sasl.SaslMechanisms;
import io.aviary.xmpp.xml.XmlElement;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.stringprep.XmppStringprepException;

/** What every client session of one gateway shares. */
public record GatewayContext(
        DomainBareJid domain,
        String gatewayId,
        GatewayProperties properties,
        StanzaBus bus,
        SessionRegistry registry,
        CredentialLookup credentials,
        SecureRandom random,
        DecoyCredentials decoys,
        Optional<InBandRegistration> registration,
        LoginThrottle loginThrottle,
        RegistrationThrottle registrationThrottle,
        StreamWorkers workers,
        ConnectionDirectory connections,
        Supplier<List<XmlElement>> streamFeatures,
        GatewayMetrics metrics,
        StreamManagement streamManagement,
        Sasl2 sasl2) {

    /** The bare JID of an account that authenticated as {@code username} (SASL checked it is a valid localpart). */
    public EntityBareJid account(String username) {
        try {
            return JidCreate.entityBareFrom(Localpart.from(username), domain);
        } catch (XmppStringprepException e) {
            throw new IllegalStateException("authenticated as an invalid username", e);
        }
    }

    /** The SASL mechanisms a stream in this TLS state may use (RFC 6120 §6.4.1). */
    public SaslMechanisms saslMechanisms(Transport transport) {
        return saslMechanisms(transport, credentials);
    }

    /** The same, finding credentials through {@code lookup} (a {@link LoginAttempt}). */
    public SaslMechanisms saslMechanisms(Transport transport, CredentialLookup lookup) {
        return new SaslMechanisms(lookup, domain, random, transport.isSecure(), channelBindings(transport), decoys);
    }

    /** The bindings offered for -PLUS, none unless configured (see GatewayProperties#saslChannelBinding). */
    public ChannelBindings channelBindings(Transport transport) {
        return properties.saslChannelBinding() ? transport.channelBindings() : ChannelBindings.none();
    }
}
