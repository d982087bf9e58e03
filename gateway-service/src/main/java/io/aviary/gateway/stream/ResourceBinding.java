package io.aviary.gateway.stream;

import io.aviary.bus.BusMessage;
import io.aviary.session.SessionControl;
import io.aviary.session.SessionEntry;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.UUID;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;
import org.jxmpp.jid.parts.Resourcepart;
import org.jxmpp.stringprep.XmppStringprepException;

/** Resource binding (RFC 6120 §7): chooses the full JID and records it in the session registry. */
public final class ResourceBinding {

    record Result(Stanza reply, EntityFullJid jid) {
    }

    /** The bound JID, or why none was bound. */
    public record Binding(EntityFullJid jid, StanzaErrorCondition error) {
    }

    private final GatewayContext context;

    public ResourceBinding(GatewayContext context) {
        this.context = context;
    }

    Result bind(String username, Stanza iq, String connectionId) {
        XmlElement request = iq.payload().orElseThrow();
        String requested = request.childText("resource", Namespaces.BIND).map(String::trim).orElse("");
        // RFC 6120 §7.6.1: with no resource asked for, the server generates one.
        Binding binding = bind(username,
                requested.isEmpty() ? "aviary-" + UUID.randomUUID().toString().substring(0, 8) : requested, connectionId);
        if (binding.error() != null) {
            return new Result(iq.errorReply(binding.error()), null);
        }
        XmlElement payload = XmlElement.builder("bind", Namespaces.BIND).textChild("jid", binding.jid().toString()).build();
        return new Result(iq.iqResult(payload), binding.jid());
    }

    /** Binds {@code resource} of {@code username}'s account to this gateway's connection {@code connectionId}. */
    public Binding bind(String username, String resource, String connectionId) {
        EntityFullJid jid;
        try {
            EntityBareJid account = JidCreate.entityBareFrom(Localpart.from(username), context.domain());
            jid = JidCreate.entityFullFrom(account, Resourcepart.from(resource));
        } catch (XmppStringprepException e) {
            // RFC 6120 §7.7.2.1: a resourcepart that the profile does not allow.
            return new Binding(null, StanzaErrorCondition.BAD_REQUEST);
        }
        var existing = context.registry().sessions(jid.asEntityBareJid());
        boolean replacing = existing.stream().anyMatch(s -> s.jid().equals(jid));
        if (!replacing && existing.size() >= context.properties().maxResourcesPerAccount()) {
            // RFC 6120 §7.6.2.1: too many connected resources.
            return new Binding(null, StanzaErrorCondition.RESOURCE_CONSTRAINT);
        }
        // RFC 6120 §7.7.2.2: we take the second option, "terminate the session of the currently
        // connected resource and allow the new one", as Prosody and ejabberd do by default.
        context.registry().bind(SessionEntry.bound(jid, context.gatewayId(), connectionId)).ifPresent(displaced ->
                SessionControl.send(context.bus(), displaced, XmlElement.empty("conflict", Namespaces.CLIENT),
                        BusMessage.CONTROL_CONFLICT));
        return new Binding(jid, null);
    }
}
