package io.aviary.xep0114;

import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;

/**
 * Which s2s instance holds each component's stream. A component may connect to any instance, while a stanza for it is
 * consumed by whichever instance owns the s2s topic's partition of its key: that instance forwards it to the holder's
 * own topic ({@link ConnectedComponents#instanceTopic}). In memory in the standalone app; on Redis in a cluster, with
 * a TTL the holder renews, so the entry of an instance that died expires and the component may connect elsewhere.
 */
public interface ComponentHolders {

    /** Records {@code instance} as {@code domain}'s holder; false when another live instance holds it. */
    boolean hold(DomainBareJid domain, String instance);

    /** Renews {@code instance}'s hold (called periodically); false when another instance holds it now. */
    boolean renew(DomainBareJid domain, String instance);

    /** Forgets {@code instance}'s hold, if it is still the holder. */
    void release(DomainBareJid domain, String instance);

    Optional<String> holder(DomainBareJid domain);
}
