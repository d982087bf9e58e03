package io.aviary.xep0357;

import io.aviary.xmpp.xml.XmlFragment;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registrations in the {@code push_registration} table of the archive schema ({@code db/archive/V2__push.sql}); the
 * publish options are kept as their XML. One owner's requests come one at a time (the archive topic's key is the
 * owner), so an update-then-insert needs no lock.
 */
public final class JdbcPushRegistrationStore implements PushRegistrationStore {

    private final JdbcClient jdbc;

    public JdbcPushRegistrationStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public void enable(PushRegistration r) {
        String options = r.publishOptions() == null ? null : r.publishOptions().toXml();
        int updated = jdbc.sql("UPDATE push_registration SET publish_options = ? "
                        + "WHERE owner = ? AND service = ? AND node = ?")
                .params(options, r.owner(), r.service(), r.node()).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO push_registration (owner, service, node, publish_options) VALUES (?, ?, ?, ?)")
                    .params(r.owner(), r.service(), r.node(), options).update();
        }
    }

    @Override
    public List<PushRegistration> registrations(String owner) {
        return jdbc.sql("SELECT service, node, publish_options FROM push_registration WHERE owner = ?").param(owner)
                .query((rs, row) -> {
                    String options = rs.getString("publish_options");
                    return new PushRegistration(owner, rs.getString("service"), rs.getString("node"),
                            options == null ? null : XmlFragment.parse(options));
                }).list();
    }

    @Override
    public void disable(String owner, String service, String node) {
        if (node == null) {
            jdbc.sql("DELETE FROM push_registration WHERE owner = ? AND service = ?").params(owner, service).update();
        } else {
            jdbc.sql("DELETE FROM push_registration WHERE owner = ? AND service = ? AND node = ?")
                    .params(owner, service, node).update();
        }
    }

    @Override
    public void removeAll(String owner) {
        jdbc.sql("DELETE FROM push_registration WHERE owner = ?").param(owner).update();
    }
}
