package io.aviary.xep0363;

import io.aviary.bus.BusMessage;
import io.aviary.capability.HostedService;
import io.aviary.xmpp.disco.DiscoInfo;
import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.stanza.StanzaError;
import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import io.aviary.service.ServiceHandler;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.stringprep.XmppStringprepException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service at {@code upload.<domain>}: disco#info with the XEP-0128 form that gives {@code max-file-size}
 * (XEP-0363 §3), empty disco#items, and slot requests (§4) from the domain's own accounts; any other request is
 * refused with {@code service-unavailable} (RFC 6120 §8.4). Results and errors addressed to it are dropped.
 */
public final class UploadService implements ServiceHandler {

    public static final String NAMESPACE = "urn:xmpp:http:upload:0";
    private static final String DATA_FORMS = "jabber:x:data";
    private static final Logger log = LoggerFactory.getLogger(UploadService.class);
    /** RFC 6838 §4.2 type/subtype, with optional parameters of printable ASCII. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\\s*;[\\x20-\\x7e]*)?");

    private final HostedService service;
    private final DomainBareJid domain;
    private final FileStore store;
    private final Slots slots;
    private final long maxFileSize;
    private final long quota;
    private final UploadMetrics metrics;
    private final Consumer<XmlElement> send;

    public UploadService(HostedService service, DomainBareJid domain, FileStore store, Slots slots, long maxFileSize,
                         long quota, UploadMetrics metrics, Consumer<XmlElement> send) {
        this.service = service;
        this.domain = domain;
        this.store = store;
        this.slots = slots;
        this.maxFileSize = maxFileSize;
        this.quota = quota;
        this.metrics = metrics;
        this.send = send;
    }

    @Override
    public void handle(Stanza stanza, BusMessage delivery) {
        String type = stanza.type();
        if (!stanza.isIq() || !("get".equals(type) || "set".equals(type))) {
            return; // messages, presence, results and errors: nothing to answer
        }
        send.accept(answer(stanza).element());
    }

    private Stanza answer(Stanza iq) {
        XmlElement payload = iq.payload().orElse(null);
        boolean atService = iq.toAttribute() != null && iq.toAttribute().equals(service.address().toString());
        if (payload == null || !atService || payload.attributeOrNull("node") != null) {
            return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
        }
        if ("get".equals(iq.type()) && payload.is("query", DiscoInfo.INFO)) {
            return iq.iqResult(service.discoInfo().toQuery(null).withChild(form()));
        }
        if ("get".equals(iq.type()) && payload.is("query", DiscoInfo.ITEMS)) {
            return iq.iqResult(XmlElement.empty("query", DiscoInfo.ITEMS));
        }
        if ("get".equals(iq.type()) && payload.is("request", NAMESPACE)) {
            return slot(iq, payload);
        }
        return iq.errorReply(StanzaErrorCondition.SERVICE_UNAVAILABLE);
    }

    /** XEP-0363 §3: the XEP-0128 extended information that tells clients the largest file accepted. */
    private XmlElement form() {
        return XmlElement.builder("x", DATA_FORMS).attribute("type", "result")
                .child(XmlElement.builder("field", DATA_FORMS).attribute("var", "FORM_TYPE").attribute("type", "hidden")
                        .textChild("value", NAMESPACE).build())
                .child(XmlElement.builder("field", DATA_FORMS).attribute("var", "max-file-size")
                        .textChild("value", Long.toString(maxFileSize)).build())
                .build();
    }

    private Stanza slot(Stanza iq, XmlElement request) {
        EntityBareJid uploader = localAccount(iq);
        if (uploader == null) {
            return refused(iq, "forbidden", StanzaError.of(StanzaErrorCondition.FORBIDDEN,
                    "only accounts of " + domain + " may upload here"));
        }
        String filename = request.attributeOrNull("filename");
        if (!FileKey.validFilename(filename)) {
            return refused(iq, "bad-filename", StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE,
                    "the filename must be one non-empty path segment without control characters"));
        }
        long size;
        try {
            size = Long.parseLong(String.valueOf(request.attributeOrNull("size")));
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1) {
            return refused(iq, "bad-size", StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE,
                    "the size must be a positive number of bytes"));
        }
        String contentType = request.attributeOrNull("content-type");
        if (contentType == null || contentType.isBlank()) {
            contentType = "application/octet-stream";
        } else if (!MEDIA_TYPE.matcher(contentType).matches()) {
            return refused(iq, "bad-content-type", StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE,
                    "the content-type must be a media type"));
        }
        if (size > maxFileSize) {
            // XEP-0363 §5: not-acceptable (modify) with <file-too-large/> giving the maximum.
            return refused(iq, "file-too-large", StanzaError.of(StanzaErrorCondition.NOT_ACCEPTABLE,
                    "the file is larger than " + maxFileSize + " bytes"), XmlElement.builder("file-too-large", NAMESPACE)
                    .textChild("max-file-size", Long.toString(maxFileSize)).build());
        }
        try {
            long used = store.usage(FileKey.owner(uploader));
            if (used + size > quota) {
                // Our quota is a hard limit (old files leave only when they expire), so no <retry/> is offered.
                return refused(iq, "quota", new StanzaError(StanzaErrorCondition.RESOURCE_CONSTRAINT,
                        StanzaError.Type.WAIT, "this upload would pass your quota of " + quota + " bytes ("
                        + used + " used)"));
            }
        } catch (IOException e) {
            log.warn("HTTP upload: cannot read the usage of {}: {}", uploader, e.toString());
            return refused(iq, "store-unavailable", StanzaError.of(StanzaErrorCondition.INTERNAL_SERVER_ERROR));
        }
        Slots.Slot slot = slots.create(FileKey.create(uploader, filename), size, contentType);
        metrics.granted();
        return iq.iqResult(XmlElement.builder("slot", NAMESPACE)
                .child(XmlElement.builder("put", NAMESPACE).attribute("url", slot.put()).build())
                .child(XmlElement.builder("get", NAMESPACE).attribute("url", slot.get()).build())
                .build());
    }

    private EntityBareJid localAccount(Stanza iq) {
        try {
            Jid from = iq.from();
            return from != null && from.hasLocalpart() && domain.equals(from.asDomainBareJid())
                    ? from.asEntityBareJidIfPossible() : null;
        } catch (XmppStringprepException e) {
            return null;
        }
    }

    private Stanza refused(Stanza iq, String reason, StanzaError error, XmlElement... applicationConditions) {
        metrics.refused(reason);
        Stanza reply = iq.errorReply(error);
        if (applicationConditions.length == 0) {
            return reply;
        }
        List<XmlNode> children = new ArrayList<>();
        for (XmlNode child : reply.element().children()) {
            if (child instanceof XmlElement e && e.is("error", Stanza.CLIENT_NAMESPACE)) {
                for (XmlElement condition : applicationConditions) {
                    e = e.withChild(condition);
                }
                children.add(e);
            } else {
                children.add(child);
            }
        }
        return new Stanza(reply.kind(), reply.element().withChildren(children));
    }
}
