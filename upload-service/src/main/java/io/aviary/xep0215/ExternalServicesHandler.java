package io.aviary.xep0215;

import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * XEP-0215 External Service Discovery at the domain: the services (all, or of one {@code type}, §3.1, §3.2) and
 * credentials for one of them (§3.3). Credentials of a service with a secret are in both answers (as Prosody and
 * ejabberd give them, and as Conversations reads them from the list); only the server's own accounts get an answer.
 */
public final class ExternalServicesHandler implements IqHandler {

    public static final String NAMESPACE = "urn:xmpp:extdisco:2";

    private final DomainBareJid domain;
    private final List<ExtdiscoProperties.Service> services;
    private final TurnCredentials credentials;

    public ExternalServicesHandler(DomainBareJid domain, List<ExtdiscoProperties.Service> services,
                                   TurnCredentials credentials) {
        this.domain = domain;
        this.services = List.copyOf(services);
        this.credentials = credentials;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        Optional<IqAddress> address = IqAddress.of(iq, domain);
        if (address.isEmpty() || !address.get().toServer()) {
            // The domain discovers external services; an account does not (§2: service-unavailable "if the responding
            // entity does not support this protocol").
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        EntityBareJid requester = address.get().requester();
        if (requester == null || !requester.asDomainBareJid().equals(domain)) {
            // §2: forbidden "if the requesting entity does not have permission to receive the list".
            return iq.errorReply(StanzaError.of(StanzaErrorCondition.FORBIDDEN,
                    "external services are for this server's accounts"));
        }
        if (!"get".equals(iq.type())) {
            return iq.errorReply(StanzaError.of(StanzaErrorCondition.BAD_REQUEST, "services and credentials are IQ gets"));
        }
        XmlElement request = iq.payload().orElseThrow();
        return switch (request.name()) {
            case "services" -> iq.iqResult(services(request, requester));
            case "credentials" -> credentials(iq, request, requester);
            default -> iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        };
    }

    private XmlElement services(XmlElement request, EntityBareJid requester) {
        String type = request.attributeOrNull("type");
        // §3.2: the answer to a request for one type carries that type.
        XmlElement.Builder answer = XmlElement.builder("services", NAMESPACE).attribute("type", type);
        services.stream().filter(s -> type == null || s.type().equals(type.toLowerCase(Locale.ROOT)))
                .forEach(s -> answer.child(element(s, requester)));
        return answer.build();
    }

    /** §3.3: the service is named by host and type (and port, when the host has several). */
    private Stanza credentials(Stanza iq, XmlElement request, EntityBareJid requester) {
        Optional<XmlElement> wanted = request.child("service", NAMESPACE);
        String host = wanted.map(s -> s.attributeOrNull("host")).orElse(null);
        String type = wanted.map(s -> s.attributeOrNull("type")).orElse(null);
        if (host == null || type == null) {
            return iq.errorReply(StanzaError.of(StanzaErrorCondition.BAD_REQUEST,
                    "a credentials request names a service by host and type"));
        }
        String port = wanted.get().attributeOrNull("port");
        List<ExtdiscoProperties.Service> matching = services.stream().filter(ExtdiscoProperties.Service::restricted)
                .filter(s -> s.host().equalsIgnoreCase(host) && s.type().equals(type.toLowerCase(Locale.ROOT)))
                .filter(s -> port == null || port.equals(Integer.toString(s.port()))).toList();
        if (matching.isEmpty()) {
            // §3.3 names item-not-found among the errors for "cannot obtain credentials at the service".
            return iq.errorReply(StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND,
                    "no service here issues credentials for that host and type"));
        }
        XmlElement.Builder answer = XmlElement.builder("credentials", NAMESPACE);
        matching.forEach(s -> answer.child(element(s, requester)));
        return iq.iqResult(answer.build());
    }

    private XmlElement element(ExtdiscoProperties.Service service, EntityBareJid requester) {
        XmlElement.Builder element = XmlElement.builder("service", NAMESPACE)
                .attribute("host", service.host())
                .attribute("port", Integer.toString(service.port()))
                .attribute("transport", service.transport())
                .attribute("type", service.type())
                .attribute("name", service.name());
        if (service.restricted()) {
            TurnCredentials.Credential credential = credentials.issue(service.secret(), requester);
            element.attribute("restricted", "true")
                    .attribute("username", credential.username())
                    .attribute("password", credential.password())
                    .attribute("expires", credential.expires().toString());
        }
        return element.build();
    }
}
