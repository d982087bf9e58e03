package io.aviary.xmpp.xml;

import java.util.Map;

/** Serializes elements to XML text, declaring a namespace only where it differs from the parent's. */
public final class XmlWriter {

    private XmlWriter() {
    }

    /**
     * Writes {@code element} as it appears inside a parent whose default namespace is
     * {@code inheritedNamespace} (for example {@code jabber:client} for a stanza on a client stream);
     * {@code null} declares the element's namespace unconditionally.
     */
    public static String write(XmlElement element, String inheritedNamespace) {
        StringBuilder sb = new StringBuilder(128);
        write(element, inheritedNamespace, sb);
        return sb.toString();
    }

    public static void write(XmlElement element, String inheritedNamespace, StringBuilder sb) {
        sb.append('<').append(element.name());
        if (!element.namespace().equals(inheritedNamespace)) {
            sb.append(" xmlns=\"");
            escape(element.namespace(), sb, true);
            sb.append('"');
        }
        int prefixCounter = 0;
        for (Map.Entry<String, String> attribute : element.attributes().entrySet()) {
            String key = attribute.getKey();
            sb.append(' ');
            if (key.startsWith("{")) {
                int close = key.indexOf('}');
                String prefix = "ns" + (++prefixCounter);
                sb.append("xmlns:").append(prefix).append("=\"");
                escape(key.substring(1, close), sb, true);
                sb.append("\" ").append(prefix).append(':').append(key, close + 1, key.length());
            } else {
                sb.append(key);
            }
            sb.append("=\"");
            escape(attribute.getValue(), sb, true);
            sb.append('"');
        }
        if (element.children().isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        for (XmlNode child : element.children()) {
            if (child instanceof XmlElement e) {
                write(e, element.namespace(), sb);
            } else if (child instanceof XmlText t) {
                escape(t.text(), sb, false);
            }
        }
        sb.append("</").append(element.name()).append('>');
    }

    public static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        escape(value, sb, true);
        return sb.toString();
    }

    /**
     * @throws IllegalArgumentException for a character outside XML 1.0's {@code Char} production (§2.2), such as
     *                                  U+0000, a C0 control, U+FFFE or a lone surrogate: written, it would make the
     *                                  reader's stream not well-formed, so nothing is written instead
     */
    private static void escape(String value, StringBuilder sb, boolean attribute) {
        // Characters that need nothing are copied in runs: a stanza's text is mostly such, and appending one character
        // at a time made escaping two thirds of the archive writer's time in serialising a message.
        int run = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < Character.MIN_SURROGATE && c != '&' && c != '<' && c != '>' && c != '"' && c != '\'') {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // #x10000-#x10FFFF
                continue;
            }
            if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : Character.isSurrogate(c) || c == 0xFFFE || c == 0xFFFF) {
                throw new IllegalArgumentException(String.format("U+%04X is not an XML character", (int) c));
            }
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> attribute ? "&quot;" : null;
                case '\'' -> attribute ? "&apos;" : null;
                // Attribute-value normalisation would turn these into spaces, and a raw CR in text into LF.
                case '\t' -> attribute ? "&#9;" : null;
                case '\n' -> attribute ? "&#10;" : null;
                case '\r' -> "&#13;";
                default -> null;
            };
            if (replacement != null) {
                sb.append(value, run, i).append(replacement);
                run = i + 1;
            }
        }
        sb.append(value, run, length);
    }
}
