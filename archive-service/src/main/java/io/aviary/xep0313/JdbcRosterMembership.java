package io.aviary.xep0313;

import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the roster capability's {@code roster_items} table, read-only. The archive service runs on its own in a
 * cluster with only the database in common with the roster service, and no capability uses another's classes
 * (LayeringTest), so one small query serves the standalone app and the cluster alike. An item the roster does not
 * list (a pending inbound request only, {@code listed} false) is not in the roster.
 */
public final class JdbcRosterMembership implements RosterMembership {

    private final JdbcClient jdbc;

    public JdbcRosterMembership(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public boolean inRoster(String owner, String contact) {
        int at = owner.indexOf('@');
        String username = at < 0 ? owner : owner.substring(0, at);
        return jdbc.sql("SELECT COUNT(*) FROM roster_items WHERE username = ? AND contact = ? AND listed")
                .params(username, contact).query(Integer.class).single() > 0;
    }
}
