package io.aviary.xep0045;

import io.aviary.xmpp.stanza.Stanza;
import io.aviary.xmpp.xml.XmlElement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The namespaces of group chat and the small XML shapes every part of the room engine builds. */
final class MucXml {

    static final String MUC = "http://jabber.org/protocol/muc";
    static final String USER = MUC + "#user";
    static final String ADMIN = MUC + "#admin";
    static final String OWNER = MUC + "#owner";
    static final String ROOMCONFIG = MUC + "#roomconfig";
    static final String ROOMINFO = MUC + "#roominfo";
    static final String REQUEST = MUC + "#request";
    static final String SELF_PING = MUC + "#self-ping-optimization";
    static final String OCCUPANT_ID = "urn:xmpp:occupant-id:0";
    static final String DATA = "jabber:x:data";
    static final String DELAY = "urn:xmpp:delay";
    static final String PING = "urn:xmpp:ping";
    static final String CLIENT = Stanza.CLIENT_NAMESPACE;

    private MucXml() {
    }

    static XmlElement status(int code) {
        return XmlElement.builder("status", USER).attribute("code", Integer.toString(code)).build();
    }

    static XmlElement occupantId(String id) {
        return XmlElement.builder("occupant-id", OCCUPANT_ID).attribute("id", id).build();
    }

    /** A data form field ({@code jabber:x:data}), with its options when it is a list. */
    static XmlElement field(String var, String type, String label, List<String> values, List<String> options) {
        XmlElement.Builder field = XmlElement.builder("field", DATA).attribute("var", var).attribute("type", type)
                .attribute("label", label);
        for (String option : options) {
            field.child(XmlElement.builder("option", DATA).attribute("label", option).textChild("value", option).build());
        }
        for (String value : values) {
            field.textChild("value", value);
        }
        return field.build();
    }

    static XmlElement hiddenFormType(String formType) {
        return field("FORM_TYPE", "hidden", null, List.of(formType), List.of());
    }

    /** The values of a submitted form by field {@code var}. */
    static Map<String, List<String>> values(XmlElement form) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        form.elements().filter(e -> e.is("field", DATA) && e.attributeOrNull("var") != null).forEach(field ->
                values.put(field.attributeOrNull("var"),
                        field.elements().filter(v -> v.is("value", DATA)).map(XmlElement::text).toList()));
        return values;
    }

    /** A message or presence of the room, in {@code jabber:client}. */
    static XmlElement.Builder stanza(String name, String from, String to, String type) {
        return XmlElement.builder(name, CLIENT).attribute("from", from).attribute("to", to).attribute("type", type);
    }
}
