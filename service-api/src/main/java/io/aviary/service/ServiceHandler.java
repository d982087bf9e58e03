package io.aviary.service;

import io.aviary.bus.BusMessage;
import io.aviary.xmpp.stanza.Stanza;

/**
 * Gets every stanza addressed to one {@link io.aviary.capability.HostedService} or to a JID at it: IQs of every type
 * (results and errors too), messages and presence, in the order of their bus key (the {@code to} bare JID, so one
 * room's or one service's stanzas arrive one at a time). It sends its answers itself, with
 * {@link io.aviary.capability.CapabilityContext#send}; an IQ request it does not answer is its own to refuse
 * (RFC 6120 §8.4: {@code service-unavailable}).
 */
@FunctionalInterface
public interface ServiceHandler {

    void handle(Stanza stanza, BusMessage delivery);
}
