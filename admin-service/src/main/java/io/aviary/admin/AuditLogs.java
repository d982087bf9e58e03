package io.aviary.admin;

import java.sql.Timestamp;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit log's implementations: each writes the logger {@code aviary.audit} first, then keeps the entry. */
public final class AuditLogs {

    static final Logger AUDIT = LoggerFactory.getLogger("aviary.audit");

    private AuditLogs() {
    }

    private static void log(AuditLog.Entry e) {
        AUDIT.info("actor={} action={} target={} outcome={}", e.actor(), e.action(), e.target(), e.outcome());
    }

    /** In the {@code admin_audit} table (accounts module migration {@code V19__admin}). */
    public static AuditLog jdbc(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return new AuditLog() {
            @Override
            public void record(Entry entry) {
                log(entry);
                jdbc.sql("INSERT INTO admin_audit (at, actor, action, target, outcome) VALUES (?, ?, ?, ?, ?)")
                        .params(Timestamp.from(entry.at()), entry.actor(), entry.action(), entry.target(), entry.outcome())
                        .update();
            }

            @Override
            public List<Entry> latest(int limit) {
                return jdbc.sql("SELECT at, actor, action, target, outcome FROM admin_audit ORDER BY id DESC "
                                + "FETCH FIRST ? ROWS ONLY").param(limit)
                        .query((rs, row) -> new Entry(rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                                rs.getString("action"), rs.getString("target"), rs.getString("outcome"))).list();
            }
        };
    }

    /** In memory, the latest {@code capacity} entries: a server without a database. */
    public static AuditLog inMemory(int capacity) {
        Deque<AuditLog.Entry> entries = new ArrayDeque<>();
        return new AuditLog() {
            @Override
            public synchronized void record(Entry entry) {
                log(entry);
                entries.addFirst(entry);
                while (entries.size() > capacity) {
                    entries.removeLast();
                }
            }

            @Override
            public synchronized List<Entry> latest(int limit) {
                return entries.stream().limit(limit).toList();
            }
        };
    }
}
