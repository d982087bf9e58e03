package io.aviary.capability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The supported-specifications table (README, docs/supported-specifications.md, {@code /actuator/info}),
 * generated from the declarations: one row per specification a capability implements, RFCs first, then XEPs by
 * number.
 */
public final class SpecificationTable {

    /** One row: a specification and the capability that implements it. */
    public record Row(Specification specification, String capability) {
    }

    private static final Pattern NUMBER = Pattern.compile("(\\D*)(\\d+)");

    private SpecificationTable() {
    }

    public static List<Row> rows(List<Declaration> declarations) {
        List<Row> rows = new ArrayList<>();
        for (Declaration declaration : declarations) {
            declaration.specifications().forEach(s -> rows.add(new Row(s, declaration.name())));
        }
        rows.sort(Comparator.comparing((Row r) -> kind(r.specification().id()))
                .thenComparingInt(r -> number(r.specification().id()))
                .thenComparing(r -> r.specification().id()).thenComparing(Row::capability));
        return rows;
    }

    /** The table in Markdown. */
    public static String markdown(List<Declaration> declarations) {
        StringBuilder s = new StringBuilder("| specification | version | status | capability | notes |\n|---|---|---|---|---|\n");
        for (Row row : rows(declarations)) {
            Specification spec = row.specification();
            s.append("| ").append((spec.id() + " " + spec.title()).trim()).append(" | ").append(spec.version()).append(" | ")
                    .append(spec.status().name().toLowerCase()).append(" | `").append(row.capability()).append("` | ")
                    .append(spec.note().replace("|", "\\|")).append(" |\n");
        }
        return s.toString();
    }

    private static String kind(String id) {
        Matcher m = NUMBER.matcher(id);
        return m.lookingAt() ? m.group(1).trim() : id;
    }

    private static int number(String id) {
        Matcher m = NUMBER.matcher(id);
        return m.lookingAt() ? Integer.parseInt(m.group(2)) : 0;
    }
}
