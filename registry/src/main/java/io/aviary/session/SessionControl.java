package io.aviary.session;

import io.aviary.bus.BusMessage;
import io.aviary.bus.StanzaBus;
import io.aviary.bus.Topics;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Map;

/**
 * Control messages to one session, published to its own gateway's topic so that they bypass the router: the gateway
 * does with that connection what {@link BusMessage#CONTROL} says (ends it with {@code conflict}, {@code not-authorized}
 * after the stanza, or {@code policy-violation}).
 */
public final class SessionControl {

    private SessionControl() {
    }

    /** {@code control} is one of {@link BusMessage}'s {@code CONTROL_*} values. */
    public static void send(StanzaBus bus, SessionEntry session, XmlElement stanza, String control) {
        bus.publish(Topics.gateway(session.gatewayId()), session.jid().asEntityBareJidString(),
                new BusMessage(stanza, Map.of(BusMessage.TARGET, session.jid().toString(),
                        BusMessage.CONNECTION, session.connectionId(), BusMessage.CONTROL, control)));
    }
}
