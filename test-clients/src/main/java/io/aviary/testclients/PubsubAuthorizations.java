package io.aviary.testclients;

import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.provider.ProviderManager;
import org.jivesoftware.smackx.pubsub.provider.SubscriptionProvider;
import org.jivesoftware.smackx.xdata.FormField;
import org.jivesoftware.smackx.xdata.packet.DataForm;
import org.jxmpp.jid.Jid;

/** What a Smack client needs for XEP-0060 §8.6, the owner's authorization of pending subscriptions. */
public final class PubsubAuthorizations {

    private static final String PUBSUB = "http://jabber.org/protocol/pubsub";

    private PubsubAuthorizations() {
    }

    /**
     * Lets Smack parse subscription state changes: XEP-0060 §8.6 sends {@code <subscription/>} inside {@code <event/>},
     * for which Smack 4.5 registers no parser, and its event parser then closes the connection on a class cast.
     */
    public static void parseSubscriptionEvents() {
        ProviderManager.addExtensionProvider("subscription", PUBSUB + "#event", new SubscriptionProvider());
    }

    /** An owner's answer to an authorization request: the submitted {@code subscribe_authorization} form. */
    public static Message answer(Jid service, String node, String subscriber, boolean allow) {
        DataForm form = DataForm.builder(DataForm.Type.submit).setFormType(PUBSUB + "#subscribe_authorization")
                .addField(FormField.builder("pubsub#node").setValue(node).build())
                .addField(FormField.builder("pubsub#subscriber_jid").setValue(subscriber).build())
                .addField(FormField.booleanBuilder("pubsub#allow").setValue(allow).build())
                .build();
        return StanzaBuilder.buildMessage().to(service).addExtension(form).build();
    }
}
