package io.aviary.xep0313;

import io.aviary.service.IqAddress;
import io.aviary.service.IqErrors;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * Answers {@code urn:xmpp:mam:2} for the archive owner only (XEP-0313 §8.1: anyone else gets {@code forbidden}), and
 * for a room's archive on the group chat service's behalf (XEP-0313 §6, results from the room's JID):
 * <ul>
 * <li>{@code <query/>} set: the matching messages, each a {@code <message><result><forwarded>…} sent before the IQ
 *     result, which carries {@code <fin/>} with the page's XEP-0059 {@code <set/>} (§4.3); get: the query form
 *     (§4.1.5);</li>
 * <li>{@code <prefs/>} get and set (XEP-0441);</li>
 * <li>{@code <metadata/>} get: the first and last message of the archive (§5), empty for an empty archive.</li>
 * </ul>
 * Results go out through the capability context to the requester's full JID, the IQ result through the archive
 * topic's consumer; both are published keyed by the requester, so they arrive in that order. Times queries in
 * {@code xmpp.archive.query}.
 */
public final class MamQueryHandler implements IqHandler {

    public static final String NAMESPACE = ArchiveQueryRequest.NAMESPACE;
    private static final String FORWARD = "urn:xmpp:forward:0";
    private static final String DELAY = "urn:xmpp:delay";

    private final DomainBareJid domain;
    private final ArchiveStore store;
    private final Runnable settle;
    private final Consumer<XmlElement> sender;
    private final int maxPage;
    private final Timer queries;

    /**
     * @param settle  returns once the records routed before are written ({@link ArchiveWriter#settle}), so a query and a
     *                preferences change see the archive as of the moment they were routed
     * @param sender  routes a result message (the capability context's {@code send})
     * @param maxPage the most results of one page ({@code aviary.archive.max-page})
     */
    public MamQueryHandler(DomainBareJid domain, ArchiveStore store, Runnable settle, Consumer<XmlElement> sender,
                           int maxPage, MeterRegistry meters) {
        this.domain = domain;
        this.store = store;
        this.settle = settle;
        this.sender = sender;
        this.maxPage = maxPage;
        this.queries = Timer.builder("xmpp.archive.query").description("XEP-0313 archive queries answered")
                .publishPercentileHistogram().register(meters);
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        String room = roomArchive(iq);
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (room == null && (address == null || !address.toSelf())) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        String owner = room != null ? room : address.account().toString();
        XmlElement payload = iq.payload().orElseThrow();
        if (room != null && payload.is("prefs", NAMESPACE)) {
            return iq.errorReply(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED); // a room's owner configures the room
        }
        settle.run();
        boolean set = "set".equals(iq.type());
        try {
            if (payload.is("query", NAMESPACE)) {
                return set ? queries.record(() -> query(iq, owner, payload)) : iq.iqResult(QueryFormXml.form());
            }
            if (payload.is("prefs", NAMESPACE)) {
                if (set) {
                    store.savePreferences(owner, PreferencesXml.parse(payload));
                }
                return iq.iqResult(PreferencesXml.toXml(store.preferences(owner)));
            }
            if (payload.is("metadata", NAMESPACE) && !set) {
                return iq.iqResult(metadata(owner));
            }
            return iq.errorReply(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED);
        } catch (MamRequestException e) {
            return IqErrors.withoutPayload(iq, e.condition(), e.getMessage());
        } catch (UnknownArchiveIdException e) {
            // §4.1.3 and §4.3.2: an id of before-id, after-id, ids, <after/> or <before/> not in the archive.
            return iq.errorReply(StanzaError.of(StanzaErrorCondition.ITEM_NOT_FOUND, e.getMessage()));
        }
    }

    /**
     * The room whose archive a request is for, or null: a request to a bare JID at another domain than the server's
     * reaches this topic only from the group chat service, which checked that the requester may read the room (the
     * router sends every stanza to a room to that service, and a client cannot publish here).
     */
    private String roomArchive(Stanza iq) {
        try {
            Jid to = iq.to();
            EntityBareJid bare = to == null ? null : to.asEntityBareJidIfPossible();
            return bare != null && !to.hasResource() && !bare.asDomainBareJid().equals(domain) ? bare.toString() : null;
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    private Stanza query(Stanza iq, String owner, XmlElement payload) {
        ArchiveQueryRequest request = ArchiveQueryRequest.parse(payload, maxPage);
        // §4.1.3: an id in 'ids' that is not in the archive is item-not-found, like before-id and after-id.
        for (String id : request.query().ids()) {
            if (store.find(owner, id).isEmpty()) {
                throw new UnknownArchiveIdException(id);
            }
        }
        Page page = store.query(owner, request.query(), request.page());
        List<ArchivedMessage> order = new ArrayList<>(page.items());
        if (request.flipPage()) {
            // §4.3.4: flipping changes only the order results are sent in, not which ones.
            Collections.reverse(order);
        }
        for (ArchivedMessage message : order) {
            sender.accept(result(iq.fromAttribute(), owner, request.queryId(), message));
        }
        return iq.iqResult(fin(request, page));
    }

    private static XmlElement result(String requester, String owner, String queryId, ArchivedMessage message) {
        XmlElement forwarded = XmlElement.builder("forwarded", FORWARD)
                .child(XmlElement.builder("delay", DELAY).attribute("stamp", stamp(message.stamp())).build())
                .child(message.message()).build();
        return XmlElement.builder("message", Stanza.CLIENT_NAMESPACE).attribute("to", requester)
                .attribute("from", owner).attribute("id", UUID.randomUUID().toString())
                .child(XmlElement.builder("result", NAMESPACE).attribute("queryid", queryId)
                        .attribute("id", message.id()).child(forwarded).build())
                .build();
    }

    private static XmlElement fin(ArchiveQueryRequest request, Page page) {
        XmlElement.Builder set = XmlElement.builder("set", ArchiveQueryRequest.RSM);
        List<ArchivedMessage> items = page.items();
        if (!items.isEmpty()) {
            set.child(XmlElement.builder("first", ArchiveQueryRequest.RSM)
                    .attribute("index", firstIndex(request.page(), page))
                    .text(items.get(0).id()).build());
            set.textChild("last", items.get(items.size() - 1).id());
        }
        set.textChild("count", Long.toString(page.count()));
        return XmlElement.builder("fin", NAMESPACE).attribute("queryid", request.queryId())
                .attribute("complete", page.complete() ? "true" : null).child(set.build()).build();
    }

    /** XEP-0059 §2.3 index of the page's first item, where it is known without counting: the first and last pages. */
    private static String firstIndex(PageRequest request, Page page) {
        if (request.after() == null && !request.backwards()) {
            return "0";
        }
        if (request.last()) {
            return Long.toString(page.count() - page.items().size());
        }
        return null;
    }

    private XmlElement metadata(String owner) {
        XmlElement.Builder metadata = XmlElement.builder("metadata", NAMESPACE);
        store.bounds(owner).ifPresent(bounds -> metadata
                .child(XmlElement.builder("start", NAMESPACE).attribute("id", bounds.first().id())
                        .attribute("timestamp", stamp(bounds.first().stamp())).build())
                .child(XmlElement.builder("end", NAMESPACE).attribute("id", bounds.last().id())
                        .attribute("timestamp", stamp(bounds.last().stamp())).build()));
        return metadata.build();
    }

    /** XEP-0082 DateTime in UTC. */
    static String stamp(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
}
