package io.aviary.xep0163;

import io.aviary.xep0060.AccessModel;
import io.aviary.xep0060.NodeConfig;
import io.aviary.xep0060.PublishedItem;
import io.aviary.xep0060.SendLastPublishedItem;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * XEP-0411 conversion between XEP-0402 bookmarks (one item per room in the PEP node {@code urn:xmpp:bookmarks:1})
 * and the XEP-0048 {@code <storage xmlns='storage:bookmarks'/>} that older clients keep in private XML storage
 * (XEP-0049), so each kind of client sees the rooms the other bookmarked. URL bookmarks of the private element have no
 * XEP-0402 form and are not carried over.
 */
final class BookmarksConversion {

    /** XEP-0402's node, which is also its payload namespace. */
    static final String NODE = "urn:xmpp:bookmarks:1";
    /** XEP-0048's element in private storage. */
    static final String LEGACY = "storage:bookmarks";
    /** The account feature of XEP-0411 §2. */
    static final String FEATURE = "urn:xmpp:bookmarks-conversion:0";
    /** XEP-0402 §3: the account's PEP service keeps bookmarks as that specification asks. */
    static final String COMPAT_FEATURE = NODE + "#compat";
    /**
     * The IQ by which private storage hands the account's PEP service the bookmarks a client of XEP-0048 stored: from
     * the account's bare JID (the server), which no client can send as.
     */
    static final String SYNC_NAMESPACE = "urn:aviary:bookmarks-conversion";

    /** XEP-0402 §3 publish-options: whitelist (private), every item kept, no last item sent unasked. */
    static final NodeConfig CONFIG = new NodeConfig(AccessModel.WHITELIST, true, NodeConfig.UNLIMITED,
            SendLastPublishedItem.NEVER);

    private BookmarksConversion() {
    }

    /** The {@code <storage xmlns='storage:bookmarks'/>} of the node's items (XEP-0411 §3, newest first). */
    static XmlElement legacy(List<PublishedItem> items) {
        XmlElement.Builder storage = XmlElement.builder("storage", LEGACY);
        for (PublishedItem item : items) {
            if (item.payload() == null) {
                continue;
            }
            XmlElement conference = XmlFragment.parse(item.payload());
            if (!conference.is("conference", NODE)) {
                continue;
            }
            XmlElement.Builder legacy = XmlElement.builder("conference", LEGACY).attribute("jid", item.id())
                    .attribute("name", conference.attributeOrNull("name"))
                    .attribute("autojoin", autojoin(conference) ? "true" : "false");
            conference.childText("nick", NODE).ifPresent(nick -> legacy.textChild("nick", nick));
            conference.childText("password", NODE).ifPresent(password -> legacy.textChild("password", password));
            storage.child(legacy.build());
        }
        return storage.build();
    }

    /** The XEP-0402 conferences of a XEP-0048 storage element, by room JID, in its order. */
    static Map<String, XmlElement> conferences(XmlElement storage) {
        Map<String, XmlElement> conferences = new LinkedHashMap<>();
        storage.elements().filter(e -> e.is("conference", LEGACY)).forEach(legacy -> {
            String jid = legacy.attributeOrNull("jid");
            if (jid == null || jid.isEmpty()) {
                return;
            }
            XmlElement.Builder conference = XmlElement.builder("conference", NODE)
                    .attribute("name", legacy.attributeOrNull("name"))
                    .attribute("autojoin", autojoin(legacy) ? "true" : null);
            legacy.childText("nick", LEGACY).ifPresent(nick -> conference.textChild("nick", nick));
            legacy.childText("password", LEGACY).ifPresent(password -> conference.textChild("password", password));
            conferences.put(jid, conference.build());
        });
        return conferences;
    }

    /** The storage element of a sync request, if it has one. */
    static Optional<XmlElement> storage(XmlElement sync) {
        return sync.child("storage", LEGACY);
    }

    private static boolean autojoin(XmlElement conference) {
        String value = conference.attributeOrNull("autojoin");
        return "true".equals(value) || "1".equals(value);
    }
}
