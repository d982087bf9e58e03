package io.aviary.xep0191;

import java.util.Set;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * An account's blocked JIDs and the "JID Matching" rules of XEP-0191 (those of XEP-0016): an item
 * {@code user@domain/resource} matches only that resource; {@code user@domain} any of its
 * resources; {@code domain/resource} only that resource; {@code domain} the domain and every
 * address at it or at one of its subdomains.
 */
public record BlockList(Set<String> jids) {

    public boolean blocks(Jid address) {
        if (jids.isEmpty() || address == null) {
            return false;
        }
        // The exact address covers rules 1 and 3; its bare JID rule 2 (for domain/resource that is the domain: rule 4).
        String domain = address.getDomain().toString();
        return jids.contains(address.toString())
                || jids.contains(address.asBareJid().toString())
                || jids.contains(domain)
                || jids.stream().anyMatch(item -> isDomain(item) && domain.endsWith("." + item));
    }

    /** Rule 4 also covers "any ... address containing a subdomain" of a blocked domain. */
    private static boolean isDomain(String item) {
        return item.indexOf('@') < 0 && item.indexOf('/') < 0;
    }

    /** The normalised form of an item's {@code jid} attribute, or null when it is not a JID. */
    public static String normalize(String jid) {
        if (jid == null || jid.isEmpty()) {
            return null;
        }
        try {
            return JidCreate.from(jid).toString();
        } catch (XmppStringprepException | RuntimeException e) {
            return null;
        }
    }
}
