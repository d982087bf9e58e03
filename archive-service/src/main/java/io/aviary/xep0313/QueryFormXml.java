package io.aviary.xep0313;

import io.aviary.xmpp.xml.XmlElement;

/** XEP-0313 §4.1.5: the query form a get of {@code <query/>} returns, with every field this server understands. */
final class QueryFormXml {

    private static final String VALIDATE = "http://jabber.org/protocol/xdata-validate";
    private static final String DATA_FORMS = ArchiveQueryRequest.DATA_FORMS;

    private QueryFormXml() {
    }

    static XmlElement form() {
        XmlElement x = XmlElement.builder("x", DATA_FORMS).attribute("type", "form")
                .child(XmlElement.builder("field", DATA_FORMS).attribute("type", "hidden").attribute("var", "FORM_TYPE")
                        .textChild("value", ArchiveQueryRequest.NAMESPACE).build())
                .child(field("jid-single", "with")).child(field("text-single", "start"))
                .child(field("text-single", "end")).child(field("text-single", "before-id"))
                .child(field("text-single", "after-id"))
                // "the server MUST include a XEP-0122 <validate/> element that signals the list is open"
                .child(XmlElement.builder("field", DATA_FORMS).attribute("type", "list-multi").attribute("var", "ids")
                        .child(XmlElement.builder("validate", VALIDATE).attribute("datatype", "xs:string")
                                .child(XmlElement.empty("open", VALIDATE)).build()).build())
                .build();
        return XmlElement.builder("query", ArchiveQueryRequest.NAMESPACE).child(x).build();
    }

    private static XmlElement field(String type, String var) {
        return XmlElement.builder("field", DATA_FORMS).attribute("type", type).attribute("var", var).build();
    }
}
