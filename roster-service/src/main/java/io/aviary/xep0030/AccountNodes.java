package io.aviary.xep0030;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The names of an account's PEP nodes (XEP-0163 §6.2) for its disco#items, read-only from the pubsub tier's
 * {@code pubsub_nodes} table on the shared database, as the pubsub tier reads the rosters: XEP-0030 at accounts is
 * answered here, and capabilities do not use each other's classes.
 */
public interface AccountNodes {

    /** Without the pubsub tables: no nodes. */
    AccountNodes NONE = (account, owner) -> List.of();

    /**
     * The account's nodes a requester may see: all of them for the account itself; for a contact that receives its
     * presence those whose access model is open, presence or roster (XEP-0163 §6.2: "only those nodes to which the
     * contact is allowed to subscribe or from which the contact is allowed to retrieve items").
     */
    List<String> visible(String account, boolean owner);

    /** On the database; a database without the pubsub tables (that tier was never migrated) lists none. */
    static AccountNodes on(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return (account, owner) -> {
            try {
                return jdbc.sql("SELECT node FROM pubsub_nodes WHERE service = ? AND (? OR access_model IN "
                                + "('OPEN', 'PRESENCE', 'ROSTER')) ORDER BY node")
                        .params(account, owner).query(String.class).list();
            } catch (DataAccessException e) {
                return List.of();
            }
        };
    }
}
