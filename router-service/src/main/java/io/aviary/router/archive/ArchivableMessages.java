package io.aviary.router.archive;

import io.aviary.router.ServerDelay;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jxmpp.jid.DomainBareJid;

/**
 * Which messages go into the users' archives, after XEP-0313 §"Business rules" ("a server SHOULD include in a user
 * archive all of the messages a user sends or receives of type 'normal' or 'chat' that contain a &lt;body&gt;
 * element") and XEP-0334 §4: one-to-one messages with a body, an end-to-end encrypted payload, a XEP-0424 retraction
 * or the {@code <store/>} hint; never with {@code <no-store/>} or {@code <no-permanent-store/>}. Not archived either:
 * messages without any of those (chat states alone, receipts, markers), wrappers (carbons, MAM results, forwards) and
 * messages the server sends again ({@link ServerDelay}), which were archived the first time.
 */
final class ArchivableMessages {

    static final String HINTS = "urn:xmpp:hints";
    private static final String RETRACT = "urn:xmpp:message-retract:1";
    private static final String CARBONS = "urn:xmpp:carbons:2";
    private static final String MAM = "urn:xmpp:mam:2";
    private static final String FORWARD = "urn:xmpp:forward:0";

    /** Elements (name, namespace) of what someone wrote: a body or an end-to-end encrypted payload. */
    private static final Set<QName> WRITTEN = Set.of(
            new QName("body", Stanza.CLIENT_NAMESPACE),
            new QName("encrypted", "eu.siacs.conversations.axolotl"), // OMEMO (legacy namespace)
            new QName("encrypted", "urn:xmpp:omemo:2"),
            new QName("openpgp", "urn:xmpp:openpgp:0"),
            new QName("x", "jabber:x:encrypted"));

    /** Elements (name, namespace) that make a message worth keeping. */
    private static final Set<QName> CONTENT = Stream.concat(WRITTEN.stream(),
            Stream.of(new QName("retract", RETRACT), new QName("store", HINTS))).collect(Collectors.toUnmodifiableSet());

    private static final Set<QName> EXCLUDED = Set.of(
            new QName("no-store", HINTS),
            new QName("no-permanent-store", HINTS),
            new QName("received", CARBONS),
            new QName("sent", CARBONS),
            new QName("result", MAM),
            new QName("forwarded", FORWARD));

    private record QName(String name, String namespace) {

        static QName of(XmlElement element) {
            return new QName(element.name(), element.namespace());
        }
    }

    private final DomainBareJid domain;

    ArchivableMessages(DomainBareJid domain) {
        this.domain = domain;
    }

    /**
     * Whether a groupchat message, which user archives do not keep, is worth a XEP-0357 notification when it reaches an
     * account's hibernated sessions alone: something written (a body that is not empty, an encrypted payload), not a
     * subject change, as Prosody's mod_cloud_notify counts a message important. Hints do not matter here: they are
     * about storage.
     */
    boolean notifiable(Stanza stanza) {
        XmlElement message = stanza.element();
        return stanza.isMessage() && "groupchat".equals(stanza.type())
                && message.child("subject", Stanza.CLIENT_NAMESPACE).isEmpty()
                && message.anyChild(child -> WRITTEN.contains(QName.of(child))
                        && !(child.is("body", Stanza.CLIENT_NAMESPACE) && child.text().isEmpty()))
                && !ServerDelay.isResent(message, domain);
    }

    boolean archivable(Stanza stanza) {
        if (!stanza.isMessage() || (stanza.type() != null && !stanza.type().equals("chat")
                && !stanza.type().equals("normal"))) {
            return false;
        }
        XmlElement message = stanza.element();
        return !message.anyChild(child -> EXCLUDED.contains(QName.of(child)))
                && message.anyChild(child -> CONTENT.contains(QName.of(child)))
                && !ServerDelay.isResent(message, domain);
    }
}
