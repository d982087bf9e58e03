package io.aviary.xmpp.stanza;

import io.aviary.xmpp.xml.XmlElement;
import java.util.Locale;

/** A stanza error (RFC 6120 §8.3): the {@code <error/>} child of an error stanza. */
public record StanzaError(StanzaErrorCondition condition, Type type, String text) {

    public enum Type {
        AUTH, CANCEL, CONTINUE, MODIFY, WAIT;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static StanzaError of(StanzaErrorCondition condition) {
        return new StanzaError(condition, condition.defaultType(), null);
    }

    public static StanzaError of(StanzaErrorCondition condition, String text) {
        return new StanzaError(condition, condition.defaultType(), text);
    }

    public XmlElement toElement() {
        XmlElement.Builder error = XmlElement.builder("error", Stanza.CLIENT_NAMESPACE)
                .attribute("type", type.value())
                .child(XmlElement.empty(condition.elementName(), StanzaErrorCondition.NAMESPACE));
        if (text != null) {
            error.child(XmlElement.builder("text", StanzaErrorCondition.NAMESPACE)
                    .attribute(XmlElement.XML_LANG, "en").text(text).build());
        }
        return error.build();
    }
}
