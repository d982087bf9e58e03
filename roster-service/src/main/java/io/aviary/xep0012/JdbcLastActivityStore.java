package io.aviary.xep0012;

import java.sql.Timestamp;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Last logouts in the {@code last_activity} table of {@code db/migration/V13__last_activity.sql}. */
public final class JdbcLastActivityStore implements LastActivityStore {

    private final JdbcClient jdbc;

    public JdbcLastActivityStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public void record(String username, Logout logout) {
        Timestamp at = Timestamp.from(logout.at());
        int updated = jdbc.sql("UPDATE last_activity SET logout_at = ?, status = ? WHERE username = ?")
                .params(at, logout.status(), username).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO last_activity (username, logout_at, status) VALUES (?, ?, ?)")
                    .params(username, at, logout.status()).update();
        }
    }

    @Override
    public Optional<Logout> last(String username) {
        return jdbc.sql("SELECT logout_at, status FROM last_activity WHERE username = ?").param(username)
                .query((rs, row) -> new Logout(rs.getTimestamp("logout_at").toInstant(), rs.getString("status")))
                .optional();
    }

    @Override
    public void delete(String username) {
        jdbc.sql("DELETE FROM last_activity WHERE username = ?").param(username).update();
    }
}
