package io.aviary.xep0065;

import io.aviary.bus.BusMessage;
import io.aviary.capability.HostedService;
import io.aviary.service.ServiceHandler;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The IQs at the proxy's address (XEP-0065 §6): disco, the streamhost query and activation. Only the requester can
 * activate: the pair is found by SHA1(SID + the activating IQ's {@code from} + target), the hash both connections
 * used, so the same IQ from anyone else names no pair (item-not-found, §6.3.4); a pair with one connection so far
 * is not-allowed.
 */
final class BytestreamsService implements ServiceHandler {

    static final String NAMESPACE = "http://jabber.org/protocol/bytestreams";

    private final HostedService service;
    private final Supplier<StreamHost> streamHost;
    private final Transfers transfers;
    private final Consumer<XmlElement> send;

    BytestreamsService(HostedService service, Supplier<StreamHost> streamHost, Transfers transfers,
                       Consumer<XmlElement> send) {
        this.service = service;
        this.streamHost = streamHost;
        this.transfers = transfers;
        this.send = send;
    }

    @Override
    public void handle(Stanza stanza, BusMessage delivery) {
        if (!stanza.isIq() || !("get".equals(stanza.type()) || "set".equals(stanza.type()))) {
            return; // RFC 6120 §8.2.3: results and errors are never answered; nothing here takes messages or presence
        }
        send.accept(answer(stanza).element());
    }

    private Stanza answer(Stanza iq) {
        Optional<XmlElement> payload = iq.payload();
        if (payload.isEmpty() || !service.address().toString().equals(iq.toAttribute())) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        XmlElement query = payload.get();
        boolean get = "get".equals(iq.type());
        if (get && query.is("query", DiscoInfo.INFO) && query.attributeOrNull("node") == null) {
            return iq.iqResult(service.discoInfo().toQuery(null));
        }
        if (get && query.is("query", DiscoInfo.ITEMS) && query.attributeOrNull("node") == null) {
            return iq.iqResult(XmlElement.empty("query", DiscoInfo.ITEMS));
        }
        if (!query.is("query", NAMESPACE)) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        if (get) {
            // §6.2: the query carries nothing; anything in it is a request this proxy does not understand.
            return query.elements().findAny().isPresent() ? iq.errorReply(StanzaErrorCondition.BAD_REQUEST)
                    : iq.iqResult(streamHost.get().toQuery());
        }
        return activate(iq, query);
    }

    /** §6.3.4: {@code <query sid='…'><activate>target</activate></query>} from the requester. */
    private Stanza activate(Stanza iq, XmlElement query) {
        String sid = query.attributeOrNull("sid");
        String target = query.childText("activate", NAMESPACE).map(String::trim).orElse("");
        if (sid == null || sid.isEmpty() || !isJid(target) || iq.fromAttribute() == null) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        return switch (transfers.activate(Transfers.hash(sid, iq.fromAttribute(), target))) {
            case ACTIVATED -> iq.iqResult(null);
            case NO_SUCH_PAIR -> iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND);
            case NOT_ALLOWED -> iq.errorReply(StanzaErrorCondition.NOT_ALLOWED);
        };
    }

    private static boolean isJid(String text) {
        if (text.isEmpty()) {
            return false;
        }
        try {
            JidCreate.from(text);
            return true;
        } catch (XmppStringprepException e) {
            return false;
        }
    }
}
