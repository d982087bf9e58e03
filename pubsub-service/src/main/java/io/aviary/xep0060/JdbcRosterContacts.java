package io.aviary.xep0060;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the roster capability's {@code roster_items} table, read-only, like the archive's JdbcRosterMembership: the
 * pubsub tier runs with only the database in common with the roster service, and capabilities do not use each other's
 * classes.
 */
public final class JdbcRosterContacts implements RosterContacts {

    private final JdbcClient jdbc;

    public JdbcRosterContacts(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    private static String username(String owner) {
        int at = owner.indexOf('@');
        return at < 0 ? owner : owner.substring(0, at);
    }

    @Override
    public boolean receivesPresence(String owner, String contact) {
        return jdbc.sql("SELECT COUNT(*) FROM roster_items WHERE username = ? AND contact = ? "
                        + "AND subscription IN ('from', 'both')")
                .params(username(owner), contact).query(Integer.class).single() > 0;
    }

    @Override
    public boolean inRoster(String owner, String contact, List<String> groups) {
        if (groups.isEmpty()) {
            return jdbc.sql("SELECT COUNT(*) FROM roster_items WHERE username = ? AND contact = ? AND listed")
                    .params(username(owner), contact).query(Integer.class).single() > 0;
        }
        return jdbc.sql("SELECT COUNT(*) FROM roster_items i JOIN roster_groups g ON g.username = i.username "
                        + "AND g.contact = i.contact WHERE i.username = :owner AND i.contact = :contact AND i.listed "
                        + "AND g.group_name IN (:groups)")
                .param("owner", username(owner)).param("contact", contact).param("groups", groups)
                .query(Integer.class).single() > 0;
    }

    @Override
    public List<String> presenceSubscribers(String owner) {
        return jdbc.sql("SELECT contact FROM roster_items WHERE username = ? AND subscription IN ('from', 'both') "
                        + "ORDER BY contact")
                .params(username(owner)).query(String.class).list();
    }
}
