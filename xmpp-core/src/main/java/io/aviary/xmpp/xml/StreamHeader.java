package io.aviary.xmpp.xml;

/**
 * The attributes of an opening stream tag (RFC 6120 §4.7), as the parser saw them.
 *
 * @param elementName      local name of the root element ({@code stream} for a well-formed stream)
 * @param elementNamespace namespace of the root element ({@code http://etherx.jabber.org/streams})
 * @param contentNamespace the default namespace declared on the root ({@code jabber:client}), or empty
 */
public record StreamHeader(String elementName, String elementNamespace, String contentNamespace,
                           String to, String from, String id, String version, String lang) {
}
