package io.aviary.xep0049;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Private XML in the {@code private_storage} table of {@code db/migration/V11__private_storage.sql}. */
public final class JdbcPrivateStore implements PrivateStore {

    private final JdbcClient jdbc;

    public JdbcPrivateStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public Optional<String> get(String username, String name, String namespace) {
        return jdbc.sql("SELECT content FROM private_storage WHERE username = ? AND namespace = ? AND element_name = ?")
                .params(username, namespace, name).query(String.class).optional();
    }

    @Override
    public List<Usage> usage(String username) {
        // OCTET_LENGTH of text is its length in the database's encoding, UTF-8 on H2 and on our PostgreSQL.
        return jdbc.sql("SELECT element_name, namespace, OCTET_LENGTH(content) FROM private_storage WHERE username = ?")
                .param(username)
                .query((row, i) -> new Usage(row.getString(1), row.getString(2), row.getLong(3))).list();
    }

    @Override
    public void put(String username, String name, String namespace, String element) {
        int updated = jdbc.sql("""
                        UPDATE private_storage SET content = ?
                        WHERE username = ? AND namespace = ? AND element_name = ?""")
                .params(element, username, namespace, name).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO private_storage (username, element_name, namespace, content) VALUES (?, ?, ?, ?)")
                    .params(username, name, namespace, element).update();
        }
    }

    @Override
    public void deleteAll(String username) {
        jdbc.sql("DELETE FROM private_storage WHERE username = ?").param(username).update();
    }
}
