package io.aviary.xep0054;

import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** vCards in the {@code vcards} table of {@code db/migration/V10__vcard.sql}. */
public final class JdbcVCardStore implements VCardStore {

    private final JdbcClient jdbc;

    public JdbcVCardStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public Optional<String> get(String username) {
        return jdbc.sql("SELECT vcard FROM vcards WHERE username = ?").param(username).query(String.class).optional();
    }

    @Override
    public void put(String username, String vcard) {
        // Update first: the common case for an existing vCard, and portable (no MERGE/UPSERT dialects).
        int updated = jdbc.sql("UPDATE vcards SET vcard = ?, updated_at = CURRENT_TIMESTAMP WHERE username = ?")
                .params(vcard, username).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO vcards (username, vcard) VALUES (?, ?)").params(username, vcard).update();
        }
    }

    @Override
    public boolean delete(String username) {
        return jdbc.sql("DELETE FROM vcards WHERE username = ?").param(username).update() > 0;
    }
}
