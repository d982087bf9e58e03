package io.aviary.plugin.motd;

import io.aviary.capability.Capability;
import io.aviary.capability.CapabilityContext;
import io.aviary.capability.Declaration;
import io.aviary.capability.Events;
import io.aviary.capability.KeyValueStore;
import io.aviary.capability.Registrar;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Optional;

/**
 * Message of the day, the classic Openfire plugin: the operator sets {@code aviary.capabilities.motd.message};
 * each account receives it as a headline once, the first time one of its resources comes online after the text
 * changed, and any client can ask for it with {@code <iq type='get'><motd xmlns='urn:aviary:motd:0'/></iq>}.
 * Built on the SPI alone: an event, a message sent through the context, an IQ handler and a store.
 */
public final class MessageOfTheDay implements Capability {

    public static final String NAMESPACE = "urn:aviary:motd:0";

    @Override
    public Declaration declaration() {
        return Declaration.builder("motd").summary("the operator's message of the day, once per account")
                .complete(NAMESPACE, "Message of the day (sample plugin)", "0",
                        "a headline once per account and text; `<motd/>` get")
                .iq(NAMESPACE).listensTo(Events.PRESENCE_AVAILABLE)
                .store("seen").build();
    }

    @Override
    public void register(Registrar registrar) {
        CapabilityContext context = registrar.context();
        Optional<String> message = context.setting("message").filter(text -> !text.isBlank());
        KeyValueStore seen = context.store("seen");
        registrar.iq(new IqHandler() {
            @Override
            public String namespace() {
                return NAMESPACE;
            }

            @Override
            public Stanza handle(Stanza iq) {
                if (!"get".equals(iq.type())) {
                    return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
                }
                XmlElement.Builder motd = XmlElement.builder("motd", NAMESPACE);
                message.ifPresent(text -> motd.textChild("body", text));
                return iq.iqResult(motd.build());
            }
        });
        io.aviary.service.MessageOfTheDay greeting = new io.aviary.service.MessageOfTheDay(seen);
        message.ifPresent(text -> registrar.on(Events.PRESENCE_AVAILABLE,
                resource -> greeting.greeting(context.domain(), resource, text).ifPresent(context::send)));
    }
}
