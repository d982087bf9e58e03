package io.aviary.xmpp.xml;

import java.util.Objects;

/** Character data, already unescaped. */
public record XmlText(String text) implements XmlNode {
    public XmlText {
        Objects.requireNonNull(text, "text");
    }
}
