package io.aviary.xep0357;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Objects;

/**
 * One XEP-0357 "enabled service" of an account: where its notifications are published.
 *
 * @param owner          the account's bare JID
 * @param service        the XMPP Push Service's JID (the enable's {@code jid})
 * @param node           the PubSub node on it (the enable's {@code node})
 * @param publishOptions the enable's data form, sent back as {@code <publish-options/>} (§"Enabling Notifications":
 *                       credentials of the app server), or null
 */
public record PushRegistration(String owner, String service, String node, XmlElement publishOptions) {

    public PushRegistration {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(node, "node");
    }

    /** Whether this is the combination of JID and node {@code other} names (the key of a registration). */
    boolean sameTarget(PushRegistration other) {
        return owner.equals(other.owner) && service.equals(other.service) && node.equals(other.node);
    }
}
