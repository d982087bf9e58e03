package io.aviary.xep0357;

import io.aviary.service.IqAddress;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * XEP-0357 §"Enabling Notifications" and §"Disabling Notifications": an account's own client enables or disables
 * publishing to an app server's node. The replies to the notifications go to {@link PushNotifier}.
 */
public final class PushCommand implements IqHandler {

    public static final String NAMESPACE = "urn:xmpp:push:0";
    private static final String DATA_FORMS = "jabber:x:data";

    private final DomainBareJid domain;
    private final PushRegistrationStore store;
    private final PushNotifier notifier;

    public PushCommand(DomainBareJid domain, PushRegistrationStore store, PushNotifier notifier) {
        this.domain = domain;
        this.store = store;
        this.notifier = notifier;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (address == null) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        // §"Enabling Notifications": the client sends the IQ "to the user's bare JID"; nobody else's account.
        if (!address.toSelf()) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        XmlElement payload = iq.payload().orElseThrow();
        if (!"set".equals(iq.type())) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        String service = normalized(payload.attributeOrNull("jid"));
        if (service == null) {
            return iq.errorReply(StanzaError.of(StanzaErrorCondition.BAD_REQUEST, "a valid 'jid' is required"));
        }
        String owner = address.account().toString();
        String node = payload.attributeOrNull("node");
        switch (payload.name()) {
            case "enable" -> {
                // The schema requires 'node': a notification is a publish to it.
                if (node == null || node.isEmpty()) {
                    return iq.errorReply(StanzaError.of(StanzaErrorCondition.BAD_REQUEST, "'node' is required"));
                }
                store.enable(new PushRegistration(owner, service, node,
                        payload.child("x", DATA_FORMS).orElse(null)));
            }
            case "disable" -> {
                // "If a 'node' attribute is provided, then only that combination of JID and node SHOULD be removed
                // ... Otherwise, the server SHOULD disable all enabled entries for the specified service".
                store.disable(owner, service, node);
                notifier.forget(owner, service, node);
            }
            default -> {
                return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
            }
        }
        return iq.iqResult(null);
    }

    @Override
    public void handleReply(Stanza reply) {
        notifier.answered(reply);
    }

    public void accountDeleted(EntityBareJid account) {
        store.removeAll(account.toString());
        notifier.forget(account.toString(), null, null);
    }

    private static String normalized(String jid) {
        if (jid == null || jid.isEmpty()) {
            return null;
        }
        try {
            return JidCreate.from(jid).toString();
        } catch (XmppStringprepException e) {
            return null;
        }
    }
}
