package io.aviary.xmpp.xml;

/** A node of an XMPP element tree: an element or a run of character data. */
public sealed interface XmlNode permits XmlElement, XmlText {
}
