package io.aviary.capability;

import io.aviary.xmpp.disco.DiscoInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.Jid;

/**
 * A service of the server at an address of its own, such as {@code upload.example.org} or {@code conference.example.org}
 * (Prosody's components, ejabberd's hosts of a module): an item of the domain's disco#items (XEP-0030), whose
 * identities and features its disco#info gives. The router hands every stanza addressed to it, or to any JID at it
 * ({@code room@conference.example.org/nick}), to the topic of the capability that declares it, where the
 * {@link io.aviary.service.ServiceHandler} that capability registered for the address gets it whole.
 *
 * @param address    the service's domain JID
 * @param name       its name in the domain's disco#items and its identity (may be null)
 * @param identities its disco#info identities
 * @param features   its disco#info features ({@link DiscoInfo#INFO} and {@link DiscoInfo#ITEMS} are added)
 */
public record HostedService(DomainBareJid address, String name, List<DiscoInfo.Identity> identities,
                            Set<String> features) {

    public HostedService {
        Objects.requireNonNull(address, "address");
        identities = List.copyOf(identities);
        Set<String> all = new TreeSet<>(features);
        all.add(DiscoInfo.INFO);
        all.add(DiscoInfo.ITEMS);
        features = Set.copyOf(all);
    }

    /** A service with one identity named {@code name}. */
    public static HostedService of(DomainBareJid address, String name, String category, String type,
                                   Set<String> features) {
        return new HostedService(address, name, List.of(new DiscoInfo.Identity(category, type, name)), features);
    }

    /** Whether {@code jid} is this service's address or a JID at it. */
    public boolean hosts(Jid jid) {
        return jid != null && address.equals(jid.asDomainBareJid());
    }

    /** The service's disco#info (at its address, no node). */
    public DiscoInfo discoInfo() {
        return new DiscoInfo(new ArrayList<>(identities), features);
    }
}
