package io.aviary.xmpp.xml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
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
        // elements of a large stanza then cost one object each. A copy that changes one thing shares the rest.
        attributes = Attributes.of(attributes);
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

    // The look-ups below are loops, not streams over elements(): every stanza on the hot path is asked for a few
    // children (hints, receipts, chat states, ids), and a stream costs half a dozen objects per question.

    public Optional<XmlElement> child(String name, String namespace) {
        for (XmlNode node : children) {
            if (node instanceof XmlElement e && e.is(name, namespace)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    public Optional<XmlElement> child(String name) {
        for (XmlNode node : children) {
            if (node instanceof XmlElement e && e.name.equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Whether some child element passes {@code test}. */
    public boolean anyChild(Predicate<XmlElement> test) {
        for (XmlNode node : children) {
            if (node instanceof XmlElement e && test.test(e)) {
                return true;
            }
        }
        return false;
    }

    /** The first child element in the given namespace, whatever its name: the payload of an IQ. */
    public Optional<XmlElement> firstChild() {
        for (XmlNode node : children) {
            if (node instanceof XmlElement e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
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
