package io.aviary.admin;

import java.time.Instant;
import java.util.List;

/**
 * Every change an administrator makes (admin API, XEP-0133 commands): who, what, on what, and the outcome. Written to
 * the logger {@code aviary.audit} and to a store (the {@code admin_audit} table, or memory without a database).
 */
public interface AuditLog {

    /** One change: {@code actor} (an admin's bare JID or {@code token:<id>}), the action, its target and outcome. */
    record Entry(Instant at, String actor, String action, String target, String outcome) {
    }

    void record(Entry entry);

    /** The latest entries, newest first. */
    List<Entry> latest(int limit);
}
