package io.aviary.router.archive;

import io.aviary.archive.ArchiveRecord;
import io.aviary.archive.ArchiveRecord.Direction;
import io.aviary.archive.ArchiveRecord.Reach;
import io.aviary.router.Route;
import io.aviary.router.ServerDelay;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * The router's part of XEP-0313 and XEP-0359, applied to a message once the delivery rules decided its routes and
 * before carbons copy it: the archive records ({@link Route.Archive}) of the sender's and the recipient's archives,
 * and the recipient's {@code <stanza-id/>} in every copy it gets (delivered, stored offline, carbon-copied).
 *
 * <ul>
 *   <li>A local client's message ({@code from} a full JID of the domain) goes into the sender's archive as
 *       {@link Direction#OUTGOING}, whatever became of it (a bounce too, as ejabberd does; so a message to a remote
 *       domain, which bounces until server-to-server exists, is in the sender's archive).</li>
 *   <li>A message delivered to, or stored offline for, a local account goes into that account's archive as
 *       {@link Direction#INCOMING}, with the {@link Reach} push notifications need. A bounced one does not.</li>
 *   <li>A message to the sender's own account goes into that archive once, as incoming.</li>
 *   <li>A groupchat message with something written in it that reached an account's hibernated sessions alone goes
 *       to the archive service as a record it does not keep ({@link ArchiveRecord#kept()} false), for XEP-0357 push:
 *       the phone whose connection dropped is woken for its rooms as for its chats, as Prosody's mod_cloud_notify
 *       does for what waits in a hibernated session's queue.</li>
 * </ul>
 * Nothing is archived or stamped while no capability serves the archive topic: a stanza id is a promise that the
 * archive can find the message.
 */
public final class MessageArchiving {

    static final String SID = "urn:xmpp:sid:0";

    /** The message as the rules hand it on (stamped, forged ids removed) and its routes with the archive records. */
    public record Archived(Stanza message, List<Route> routes) {
    }

    private final DomainBareJid domain;
    private final Clock clock;
    private final Supplier<String> ids;
    private final BooleanSupplier archiveServed;
    private final ArchivableMessages archivable;

    /**
     * @param ids           the source of XEP-0359 ids ({@link StanzaIds})
     * @param archiveServed whether some capability serves the archive topic ({@link ServiceTopics#serves})
     */
    public MessageArchiving(DomainBareJid domain, Clock clock, Supplier<String> ids, BooleanSupplier archiveServed) {
        this.domain = domain;
        this.clock = clock;
        this.ids = ids;
        this.archiveServed = archiveServed;
        this.archivable = new ArchivableMessages(domain);
    }

    /** {@code routes}, what the delivery rules decided for {@code message}, with the archiving of the message. */
    public Archived archive(Stanza message, List<Route> routes) {
        return archive(message, routes, null);
    }

    /**
     * The same, for a message the bus delivered as {@code publication} (its id on the bus, null when it has none):
     * its stanza ids are derived from it ({@link StanzaIds#derived}), so routing it again gives the same ones.
     */
    public Archived archive(Stanza message, List<Route> routes, String publication) {
        if (!message.isMessage() || ServerDelay.isResent(message.element(), domain) || !archiveServed.getAsBoolean()) {
            return new Archived(message, routes); // a resent message keeps the ids it got the first time
        }
        EntityBareJid sender = account(jid(message.fromAttribute()));
        // RFC 6120 §10.3: a message without 'to' is for the sender's own account.
        EntityBareJid recipient = message.toAttribute() == null ? sender : account(jid(message.toAttribute()));
        XmlElement original = message.element();
        XmlElement cleaned = withoutForgedIds(original, sender, recipient);
        if (!archivable.archivable(message)) {
            List<Route> handedOn = replaced(routes, original, cleaned);
            if (recipient != null && archivable.notifiable(message)
                    && reach(routes, original, recipient) == Reach.HIBERNATED) {
                handedOn = new ArrayList<>(handedOn);
                handedOn.add(new Route.Archive(new ArchiveRecord(recipient.toString(), id(publication, recipient),
                        Direction.INCOMING, sender(message), clock.instant(), Reach.HIBERNATED, cleaned, false)));
            }
            return new Archived(new Stanza(message.kind(), cleaned), handedOn);
        }
        Instant stamp = clock.instant();
        List<Route> records = new ArrayList<>(2);
        boolean fromClient = sender != null && jid(message.fromAttribute()).hasResource();
        if (fromClient && !sender.equals(recipient)) {
            records.add(new Route.Archive(new ArchiveRecord(sender.toString(), id(publication, sender), Direction.OUTGOING,
                    message.toAttribute(), stamp, Reach.NONE, cleaned)));
        }
        XmlElement delivered = cleaned;
        Reach reach = recipient == null ? null : reach(routes, original, recipient);
        if (reach != null) {
            String id = id(publication, recipient);
            delivered = cleaned.withChild(XmlElement.builder("stanza-id", SID)
                    .attribute("by", recipient.toString()).attribute("id", id).build());
            records.add(new Route.Archive(new ArchiveRecord(recipient.toString(), id, Direction.INCOMING,
                    sender(message), stamp, reach, delivered)));
        }
        records.addAll(replaced(routes, original, delivered));
        return new Archived(new Stanza(message.kind(), delivered), records);
    }

    /** Who an incoming message is from, as its archive records it: the server when it names no one. */
    private String sender(Stanza message) {
        return message.fromAttribute() != null ? message.fromAttribute() : domain.toString();
    }

    private String id(String publication, EntityBareJid owner) {
        return publication == null ? ids.get() : StanzaIds.derived(publication, owner.toString());
    }

    /**
     * What became of the message for {@code recipient}: delivered to a connected session, only queued for hibernated
     * ones (XEP-0198), stored offline; null when the recipient got nothing (a bounce, a drop).
     */
    private static Reach reach(List<Route> routes, XmlElement message, EntityBareJid recipient) {
        Reach reach = null;
        for (Route route : routes) {
            if (route instanceof Route.ToService s && s.stanza() == message) {
                return Reach.OFFLINE;
            }
            if (route instanceof Route.Deliver d && d.stanza() == message
                    && d.session().jid().asEntityBareJid().equals(recipient)) {
                if (!d.session().hibernated()) {
                    return Reach.ONLINE;
                }
                reach = Reach.HIBERNATED;
            }
        }
        return reach;
    }

    /** The routes with {@code replacement} in place of {@code message} (the rules hand on the element they got). */
    private static List<Route> replaced(List<Route> routes, XmlElement message, XmlElement replacement) {
        if (replacement == message) {
            return routes;
        }
        return routes.stream().map(route -> {
            if (route instanceof Route.Deliver d && d.stanza() == message) {
                return new Route.Deliver(d.session(), replacement);
            }
            if (route instanceof Route.ToService s && s.stanza() == message) {
                return (Route) new Route.ToService(replacement);
            }
            if (route instanceof Route.ToRemote r && r.stanza() == message) {
                return new Route.ToRemote(replacement, r.domain());
            }
            return route;
        }).toList();
    }

    /**
     * XEP-0359 §5 (Business Rules): "Stanza ID generating entities, which encounter a &lt;stanza-id/&gt; element where
     * the 'by' attribute matches the 'by' attribute they would otherwise set, MUST delete that element even if they
     * are not adding their own stanza ID." We set the recipient's and the sender's bare JIDs (their archives) and
     * would set the domain's; {@code <origin-id/>} is the client's own and stays.
     */
    private XmlElement withoutForgedIds(XmlElement message, EntityBareJid sender, EntityBareJid recipient) {
        Set<String> ours = new HashSet<>();
        ours.add(domain.toString());
        if (sender != null) {
            ours.add(sender.toString());
        }
        if (recipient != null) {
            ours.add(recipient.toString());
        }
        if (!message.anyChild(child -> forged(child, ours))) {
            return message;
        }
        return message.withChildren(message.children().stream()
                .filter(child -> !(child instanceof XmlElement e && forged(e, ours))).toList());
    }

    private static boolean forged(XmlElement child, Set<String> ours) {
        Jid by = child.is("stanza-id", SID) ? jid(child.attributeOrNull("by")) : null;
        return by != null && ours.contains(by.toString()); // normalized, as the XEP's 'by' is
    }

    /** The bare JID of a local account, or null. */
    private EntityBareJid account(Jid jid) {
        return jid == null || !jid.getDomain().equals(domain) ? null : jid.asEntityBareJidIfPossible();
    }

    private static Jid jid(String address) {
        if (address == null) {
            return null;
        }
        try {
            return JidCreate.from(address);
        } catch (XmppStringprepException e) {
            return null;
        }
    }
}
