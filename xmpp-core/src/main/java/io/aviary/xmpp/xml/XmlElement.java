package io.aviary.xmpp.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * An immutable XML element with its namespace resolved.
 *
 * <p>Attribute keys are the attribute's local name when it has no namespace, {@code xml:lang}
 * style for the XML namespace, and {@code {uri}local} for any other namespace; prefixes are a
 * serialization detail and are not kept.
 */
public record XmlElement(String name, String namespace, Map<String, String> attributes, List<XmlNode> children)
        implements XmlNode {

    public static final String XML_LANG = "xml:lang";

    public XmlElement {
        Objects.requireNonNull(name, "name");
        namespace = namespace == null ? "" : namespace;
        // An element without attributes or children shares the empty collections: the many small
        // elements of a large stanza then cost one object each.
        attributes = attributes.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        children = List.copyOf(children);
    }

    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    public static XmlElement empty(String name, String namespace) {
        return new XmlElement(name, namespace, Map.of(), List.of());
    }

    public boolean is(String name, String namespace) {
        return this.name.equals(name) && this.namespace.equals(namespace);
    }

    public Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    public String attributeOrNull(String key) {
        return attributes.get(key);
    }

    /** Child elements, in document order. */
    public Stream<XmlElement> elements() {
        return children.stream().filter(XmlElement.class::isInstance).map(XmlElement.class::cast);
    }

    public Optional<XmlElement> child(String name, String namespace) {
        return elements().filter(e -> e.is(name, namespace)).findFirst();
    }

    public Optional<XmlElement> child(String name) {
        return elements().filter(e -> e.name.equals(name)).findFirst();
    }

    /** The first child element in the given namespace, whatever its name: the payload of an IQ. */
    public Optional<XmlElement> firstChild() {
        return elements().findFirst();
    }

    /** Concatenated character data of this element's direct text children. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (XmlNode child : children) {
            if (child instanceof XmlText t) {
                sb.append(t.text());
            }
        }
        return sb.toString();
    }

    public Optional<String> childText(String name, String namespace) {
        return child(name, namespace).map(XmlElement::text);
    }

    public XmlElement withAttribute(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(attributes);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return new XmlElement(name, namespace, copy, children);
    }

    public XmlElement withChildren(List<XmlNode> newChildren) {
        return new XmlElement(name, namespace, attributes, newChildren);
    }

    public XmlElement withChild(XmlNode child) {
        List<XmlNode> copy = new ArrayList<>(children);
        copy.add(child);
        return new XmlElement(name, namespace, attributes, copy);
    }

    public XmlElement withoutChildren(String name, String namespace) {
        return withChildren(children.stream()
                .filter(c -> !(c instanceof XmlElement e && e.is(name, namespace)))
                .toList());
    }

    /** Serialized form with its namespace declared: the element stands on its own. */
    public String toXml() {
        return XmlWriter.write(this, null);
    }

    @Override
    public String toString() {
        return toXml();
    }

    /** Collects attributes and children of an element under construction. */
    public static final class Builder {
        private final String name;
        private final String namespace;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<XmlNode> children = new ArrayList<>();

        private Builder(String name, String namespace) {
            this.name = name;
            this.namespace = namespace;
        }

        /** Sets an attribute; a null value leaves it out. */
        public Builder attribute(String key, String value) {
            if (value != null) {
                attributes.put(key, value);
            }
            return this;
        }

        public Builder child(XmlNode child) {
            children.add(child);
            return this;
        }

        public Builder children(List<? extends XmlNode> nodes) {
            children.addAll(nodes);
            return this;
        }

        public Builder text(String text) {
            if (text != null && !text.isEmpty()) {
                children.add(new XmlText(text));
            }
            return this;
        }

        /** Adds {@code <name xmlns=namespace-of-this>text</name>}, a common shape in XMPP forms. */
        public Builder textChild(String childName, String text) {
            return child(XmlElement.builder(childName, namespace).text(text).build());
        }

        public XmlElement build() {
            return new XmlElement(name, namespace, attributes, children);
        }
    }
}
