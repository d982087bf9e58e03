package io.aviary.xep0054;

import io.aviary.service.IqAddress;
import io.aviary.service.IqErrors;
import io.aviary.service.IqHandler;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * XEP-0054 vcard-temp, answered by the server for accounts (section "Use Cases").
 * <ul>
 * <li>get own (no {@code to}, or one's own bare JID): the stored vCard, or an empty
 *     {@code <vCard/>} ("If no vCard exists, the server MUST return a stanza error ... or an
 *     IQ-result containing an empty &lt;vCard/&gt; element", "Retrieving One's vCard");</li>
 * <li>get another account's: vCards are public ("world-readable", Security Considerations);
 *     {@code service-unavailable} when it has none, the condition the router answers for an account
 *     that does not exist ("If no vCard exists or the user does not exist, the server MUST return a
 *     stanza error, which SHOULD be either &lt;service-unavailable/&gt; or &lt;item-not-found/&gt;
 *     (but the server MUST return the same error condition in both cases in order to help prevent
 *     directory harvesting attacks)", §3.3 "Viewing Another User's vCard");</li>
 * <li>set own: replaces it ("the entire vCard must be sent"); a vCard larger than
 *     {@code aviary.vcard.max-bytes} gets {@code not-acceptable} (RFC 6120 §8.3.3.10: the request
 *     "does not meet criteria defined by the recipient or server");</li>
 * <li>set anyone else's, or the domain's: {@code forbidden} ("the server MUST return a stanza
 *     error, which SHOULD be &lt;forbidden/&gt; or &lt;not-allowed/&gt;", "Updating One's vCard");</li>
 * <li>a payload other than {@code <vCard xmlns='vcard-temp'/>}: {@code bad-request}.</li>
 * </ul>
 */
public final class VCardTemp implements IqHandler {

    public static final String NAMESPACE = "vcard-temp";
    /** XEP-0398 hand-overs: a client's photo to the account's PEP service, and its avatar back to the vCard. */
    static final String TO_PEP = "urn:aviary:avatar-conversion:pep";
    static final String TO_VCARD = "urn:aviary:avatar-conversion:vcard";
    private static final Logger log = LoggerFactory.getLogger(VCardTemp.class);

    private final DomainBareJid domain;
    private final VCardStore store;
    private final int maxBytes;
    private final Consumer<XmlElement> sender;

    /** @param sender routes the XEP-0398 hand-over of a new photo to the account's PEP service */
    public VCardTemp(DomainBareJid domain, VCardStore store, int maxBytes, Consumer<XmlElement> sender) {
        this.sender = sender;
        this.domain = domain;
        this.store = store;
        this.maxBytes = maxBytes;
    }

    @Override
    public String namespace() {
        return NAMESPACE;
    }

    @Override
    public Stanza handle(Stanza iq) {
        XmlElement vcard = iq.payload().orElseThrow();
        IqAddress address = IqAddress.of(iq, domain).orElse(null);
        if (!vcard.is("vCard", NAMESPACE)) {
            return iq.errorReply(StanzaErrorCondition.BAD_REQUEST);
        }
        if (address == null || address.requester() == null) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        if ("set".equals(iq.type())) {
            return set(iq, address, vcard);
        }
        if (address.toServer()) {
            return iq.errorReply(StanzaErrorCondition.ITEM_NOT_FOUND);
        }
        String username = address.account().getLocalpart().toString();
        return readable(username).map(iq::iqResult)
                .orElseGet(() -> address.toSelf()
                        ? iq.iqResult(XmlElement.empty("vCard", NAMESPACE))
                        : iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE));
    }

    /** The stored vCard; one that no longer parses is logged and deleted, so it cannot fail every later read. */
    private Optional<XmlElement> readable(String username) {
        return store.get(username).flatMap(xml -> {
            try {
                return Optional.of(XmlFragment.parse(xml));
            } catch (IllegalArgumentException e) {
                log.warn("Deleted the vCard of {}: it cannot be read back ({})", username, e.getMessage());
                store.delete(username);
                return Optional.empty();
            }
        });
    }

    private Stanza set(Stanza iq, IqAddress address, XmlElement vcard) {
        if (!address.toSelf()) {
            return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
        }
        String xml = vcard.toXml();
        if (xml.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            return IqErrors.withoutPayload(iq, StanzaErrorCondition.NOT_ACCEPTABLE,
                    "The vCard is larger than " + maxBytes + " bytes.");
        }
        String username = address.account().getLocalpart().toString();
        Optional<XmlElement> before = readable(username);
        store.put(username, xml);
        String from = iq.fromAttribute();
        if (from != null && from.indexOf('/') > 0) {
            handOver(address.account().toString(), before.flatMap(VCardTemp::photo), photo(vcard));
        }
        return iq.iqResult(null);
    }

    private static Optional<XmlElement> photo(XmlElement vcard) {
        return vcard.child("PHOTO", NAMESPACE).filter(p -> p.child("BINVAL", NAMESPACE).isPresent());
    }

    /**
     * XEP-0398: a client's new or removed PHOTO goes to the account's PEP service as its XEP-0084 avatar, by an IQ from
     * the account's bare JID ({@code urn:aviary:avatar-conversion:pep}; without PEP it is refused and the refusal
     * dropped). A vCard whose photo did not change hands nothing over.
     */
    private void handOver(String account, Optional<XmlElement> before, Optional<XmlElement> after) {
        if (before.equals(after)) {
            return;
        }
        XmlElement.Builder photo = XmlElement.builder("photo", TO_PEP);
        after.ifPresent(p -> photo.attribute("type", p.childText("TYPE", NAMESPACE).map(String::strip).orElse(null))
                .text(p.childText("BINVAL", NAMESPACE).orElse("")));
        sender.accept(XmlElement.builder("iq", Stanza.CLIENT_NAMESPACE).attribute("type", "set")
                .attribute("from", account).attribute("to", account).attribute("id", "avatar-" + UUID.randomUUID())
                .child(photo.build()).build());
    }

    /**
     * The handler of the avatars the account's PEP service hands over (XEP-0398): from the account's bare JID only,
     * the PHOTO of the stored vCard is replaced (or removed), and nothing is handed back.
     */
    public IqHandler fromPep() {
        return new IqHandler() {
            @Override
            public String namespace() {
                return TO_VCARD;
            }

            @Override
            public Stanza handle(Stanza iq) {
                IqAddress address = IqAddress.of(iq, domain).orElse(null);
                String from = iq.fromAttribute();
                if (address == null || !address.toSelf() || from == null || from.indexOf('/') >= 0
                        || !"set".equals(iq.type())) {
                    return iq.errorReply(StanzaErrorCondition.FORBIDDEN);
                }
                XmlElement handOver = iq.payload().orElseThrow();
                String username = address.account().getLocalpart().toString();
                XmlElement vcard = readable(username).orElse(XmlElement.empty("vCard", NAMESPACE))
                        .withoutChildren("PHOTO", NAMESPACE);
                String base64 = handOver.text().strip();
                if (!base64.isEmpty()) {
                    vcard = vcard.withChild(XmlElement.builder("PHOTO", NAMESPACE)
                            .textChild("TYPE", handOver.attributeOrNull("type") == null ? "image/png"
                                    : handOver.attributeOrNull("type"))
                            .textChild("BINVAL", base64).build());
                }
                String xml = vcard.toXml();
                if (xml.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                    log.info("The avatar of {} does not fit its vCard ({} bytes at most)", username, maxBytes);
                    return iq.errorReply(StanzaErrorCondition.NOT_ACCEPTABLE);
                }
                store.put(username, xml);
                return iq.iqResult(null);
            }
        };
    }

    public void accountDeleted(EntityBareJid account) {
        store.delete(account.getLocalpart().toString());
    }
}
