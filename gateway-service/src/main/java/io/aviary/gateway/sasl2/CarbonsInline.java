package io.aviary.gateway.sasl2;

import io.aviary.session.SessionRegistry;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;

/**
 * XEP-0280 carbons enabled inline (XEP-0386 §3.2: "Message Carbons MUST be enabled at this point. As this operation
 * MUST succeed, no response is necessary"). The state goes into the session's registry entry, where the router,
 * which makes the copies, reads it.
 */
public final class CarbonsInline implements Bind2Feature {

    public static final String NAMESPACE = "urn:xmpp:carbons:2";

    private final SessionRegistry registry;

    public CarbonsInline(SessionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public String var() {
        return NAMESPACE;
    }

    @Override
    public boolean requests(XmlElement child) {
        return child.is("enable", NAMESPACE);
    }

    @Override
    public Optional<XmlElement> enable(BoundSession session, XmlElement request) {
        registry.updateCarbons(session.jid(), session.connectionId(), true);
        return Optional.empty();
    }
}
