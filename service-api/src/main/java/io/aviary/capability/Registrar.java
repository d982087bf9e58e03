package io.aviary.capability;

import io.aviary.service.IqHandler;
import io.aviary.service.MessageHandler;
import io.aviary.service.PresenceHandler;
import io.aviary.service.ServiceHandler;
import io.aviary.service.StanzaFilter;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;

/**
 * What a capability can register, and the only way it reaches the server ({@link #context()}). Each call is
 * checked against the capability's declaration: an IQ namespace it did not declare, or an event it did not say it
 * listens to, is refused with an {@link IllegalStateException} that names the capability.
 */
public interface Registrar {

    /** Answers IQs whose payload has {@link IqHandler#namespace()}, addressed to the server or an account. */
    void iq(IqHandler handler);

    /**
     * Gets every stanza addressed to {@code address} or a JID at it, which must be a {@link HostedService} of the
     * capability's declaration.
     */
    void service(DomainBareJid address, ServiceHandler handler);

    /** Sees messages the router hands to the server (for example for an account with no available resource). */
    void message(MessageHandler handler);

    /** Sees presence the router hands to the server (broadcasts, subscriptions, probes). */
    void presence(PresenceHandler handler);

    /** Checks every stanza before the router's delivery rules (where the router runs). */
    void filter(StanzaFilter filter);

    /** Listens to a named event. */
    <T> void on(EventType<T> event, Consumer<? super T> listener);

    /** The server as a capability sees it: its domain, a way to send stanzas, events, stores, settings. */
    CapabilityContext context();
}
