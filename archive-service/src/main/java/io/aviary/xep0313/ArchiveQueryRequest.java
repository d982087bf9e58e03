package io.aviary.xep0313;

import io.aviary.xmpp.stanza.StanzaErrorCondition;
import io.aviary.xmpp.xml.XmlElement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.stringprep.XmppStringprepException;

/**
 * A XEP-0313 {@code <query/>} of type set, read: its data form (§4.1: {@code with}, {@code start}, {@code end} and the
 * {@code #extended} {@code before-id}, {@code after-id}, {@code ids}), its XEP-0059 {@code <set/>} and
 * {@code <flip-page/>}.
 *
 * @param queryId the client's {@code queryid}, echoed in every result and the fin
 */
record ArchiveQueryRequest(String queryId, ArchiveQuery query, PageRequest page, boolean flipPage) {

    static final String NAMESPACE = "urn:xmpp:mam:2";
    static final String DATA_FORMS = "jabber:x:data";
    static final String RSM = "http://jabber.org/protocol/rsm";
    private static final Set<String> FIELDS = Set.of("FORM_TYPE", "with", "start", "end", "before-id", "after-id", "ids");

    /**
     * @param maxPage the most results one page has, whatever the client's {@code <max/>} (§4.3.1: "a server MAY place a
     *                reasonable limit")
     */
    static ArchiveQueryRequest parse(XmlElement query, int maxPage) {
        ArchiveQuery filter = query.child("x", DATA_FORMS).map(ArchiveQueryRequest::form).orElse(ArchiveQuery.ALL);
        PageRequest page = query.child("set", RSM).map(set -> page(set, maxPage)).orElse(PageRequest.first(maxPage));
        return new ArchiveQueryRequest(query.attributeOrNull("queryid"), filter, page,
                query.child("flip-page", NAMESPACE).isPresent());
    }

    private static ArchiveQuery form(XmlElement x) {
        if (!"submit".equals(x.attributeOrNull("type"))) {
            throw bad("the query form must be of type submit");
        }
        String with = null;
        Instant start = null;
        Instant end = null;
        String beforeId = null;
        String afterId = null;
        List<String> ids = new ArrayList<>();
        for (XmlElement field : x.elements().filter(e -> e.is("field", DATA_FORMS)).toList()) {
            String var = field.attributeOrNull("var");
            List<String> values = field.elements().filter(e -> e.is("value", DATA_FORMS)).map(XmlElement::text)
                    .filter(v -> !v.isEmpty()).toList();
            if (var == null) {
                throw bad("a field without var");
            }
            if (!FIELDS.contains(var)) {
                // §4.1.5: "If a client includes a form field that the server does not recognise, the server MUST
                // respond with a 'feature-not-implemented' error."
                throw new MamRequestException(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED, "unknown field " + var);
            }
            if (values.size() > 1 && !var.equals("ids")) {
                throw bad("more than one value for " + var);
            }
            String value = values.isEmpty() ? null : values.get(0);
            switch (var) {
                case "FORM_TYPE" -> {
                    if (value != null && !value.equals(NAMESPACE)) {
                        throw bad("FORM_TYPE is not " + NAMESPACE);
                    }
                }
                case "with" -> with = value == null ? null : jid(value);
                case "start" -> start = value == null ? null : instant(value);
                case "end" -> end = value == null ? null : instant(value);
                case "before-id" -> beforeId = value;
                case "after-id" -> afterId = value;
                default -> ids.addAll(values);
            }
        }
        return new ArchiveQuery(with, start, end, afterId, beforeId, ids);
    }

    private static PageRequest page(XmlElement set, int maxPage) {
        if (set.child("index", RSM).isPresent()) {
            throw new MamRequestException(StanzaErrorCondition.FEATURE_NOT_IMPLEMENTED,
                    "paging by index is not supported; page by after and before");
        }
        int max = maxPage;
        String maxText = set.childText("max", RSM).orElse(null);
        if (maxText != null) {
            try {
                max = Math.min(maxPage, Integer.parseInt(maxText.strip()));
            } catch (NumberFormatException e) {
                throw bad("max is not a number");
            }
            if (max < 0) {
                throw bad("max is negative");
            }
        }
        String after = set.childText("after", RSM).orElse(null);
        XmlElement before = set.child("before", RSM).orElse(null);
        if (after != null && after.isEmpty()) {
            throw bad("an empty after");
        }
        if (after != null && before != null) {
            // §4.3.2: RSM does not define before and after together; before-id and after-id do that.
            throw bad("both before and after; use the before-id and after-id fields for a range");
        }
        String beforeId = before == null || before.text().isEmpty() ? null : before.text();
        return new PageRequest(max, after, beforeId, before != null && beforeId == null);
    }

    private static String jid(String value) {
        try {
            return JidCreate.from(value).toString();
        } catch (XmppStringprepException | IllegalArgumentException e) {
            throw bad("with is not a JID");
        }
    }

    /** XEP-0082 DateTime: {@code CCYY-MM-DDThh:mm:ss[.sss]TZD}, the zone required. */
    private static Instant instant(String value) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw bad("not a XEP-0082 date and time: " + value);
        }
    }

    private static MamRequestException bad(String text) {
        return new MamRequestException(StanzaErrorCondition.BAD_REQUEST, text);
    }
}
