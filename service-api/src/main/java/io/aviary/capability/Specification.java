package io.aviary.capability;

import java.util.Objects;

/**
 * A specification a capability implements, as ejabberd's {@code -protocol} attributes say it: which one
 * ({@code RFC 6121}, {@code XEP-0199}) and its title, which version of it, how completely, and a note on the scope
 * (what is there, what is left out).
 */
public record Specification(String id, String title, String version, Status status, String note) {

    /** How much of the specification a capability implements. */
    public enum Status { COMPLETE, PARTIAL }

    public Specification {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(status, "status");
        title = title == null ? "" : title;
        note = note == null ? "" : note;
    }
}
