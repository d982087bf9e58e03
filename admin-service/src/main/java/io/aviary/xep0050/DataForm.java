package io.aviary.xep0050;

import io.aviary.xmpp.xml.XmlElement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A XEP-0004 data form as ad-hoc commands exchange it: its type, title, instructions and fields. Immutable; builds
 * itself from and writes itself to {@code <x xmlns='jabber:x:data'/>}.
 */
public record DataForm(String type, String title, String instructions, List<Field> fields) {

    public static final String NAMESPACE = "jabber:x:data";

    /** One field: its {@code var}, XEP-0004 type, label, values, whether it is required, and options for list-single. */
    public record Field(String var, String type, String label, List<String> values, boolean required,
                        List<String> options) {

        public Field {
            values = List.copyOf(values);
            options = List.copyOf(options);
        }

        public static Field hidden(String var, String value) {
            return new Field(var, "hidden", null, List.of(value), false, List.of());
        }

        public static Field required(String var, String type, String label) {
            return new Field(var, type, label, List.of(), true, List.of());
        }

        public static Field optional(String var, String type, String label) {
            return new Field(var, type, label, List.of(), false, List.of());
        }

        public static Field result(String var, String type, String label, List<String> values) {
            return new Field(var, type, label, values, false, List.of());
        }

        public Field withOptions(List<String> choices) {
            return new Field(var, type, label, values, required, choices);
        }

        XmlElement toElement() {
            XmlElement.Builder field = XmlElement.builder("field", NAMESPACE).attribute("var", var)
                    .attribute("type", type).attribute("label", label);
            if (required) {
                field.child(XmlElement.empty("required", NAMESPACE));
            }
            options.forEach(o -> field.child(XmlElement.builder("option", NAMESPACE).attribute("label", o)
                    .textChild("value", o).build()));
            values.forEach(v -> field.textChild("value", v));
            return field.build();
        }
    }

    public DataForm {
        fields = List.copyOf(fields);
    }

    public static DataForm form(String title, String instructions, List<Field> fields) {
        return new DataForm("form", title, instructions, fields);
    }

    public static DataForm result(String title, List<Field> fields) {
        return new DataForm("result", title, null, fields);
    }

    /** The form in {@code parent} (a {@code <command/>}), if there is one. */
    public static Optional<DataForm> in(XmlElement parent) {
        return parent.child("x", NAMESPACE).map(DataForm::of);
    }

    static DataForm of(XmlElement x) {
        List<Field> fields = new ArrayList<>();
        x.elements().filter(e -> e.is("field", NAMESPACE)).forEach(f -> fields.add(new Field(f.attributeOrNull("var"),
                f.attributeOrNull("type"), f.attributeOrNull("label"),
                f.elements().filter(v -> v.is("value", NAMESPACE)).map(XmlElement::text).toList(),
                f.child("required", NAMESPACE).isPresent(), List.of())));
        return new DataForm(x.attributeOrNull("type"), x.childText("title", NAMESPACE).orElse(null),
                x.childText("instructions", NAMESPACE).orElse(null), fields);
    }

    /** The values of each field by {@code var} (a submitted form's answers). */
    public Map<String, List<String>> values() {
        Map<String, List<String>> values = new LinkedHashMap<>();
        fields.stream().filter(f -> f.var() != null).forEach(f -> values.put(f.var(), f.values()));
        return values;
    }

    /** The first value of {@code var}, empty when missing or blank. */
    public Optional<String> value(String var) {
        return values().getOrDefault(var, List.of()).stream().filter(v -> !v.isBlank()).findFirst();
    }

    /** Every non-blank value of {@code var}; a text-multi field's lines. */
    public List<String> valuesOf(String var) {
        return values().getOrDefault(var, List.of()).stream().filter(v -> !v.isBlank()).toList();
    }

    public XmlElement toElement() {
        XmlElement.Builder x = XmlElement.builder("x", NAMESPACE).attribute("type", type);
        if (title != null) {
            x.textChild("title", title);
        }
        if (instructions != null) {
            x.textChild("instructions", instructions);
        }
        fields.forEach(f -> x.child(f.toElement()));
        return x.build();
    }
}
