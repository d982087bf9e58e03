package io.aviary.offline;

import io.aviary.xmpp.xml.ParserLimits;
import io.aviary.xmpp.xml.StreamEventHandler;
import io.aviary.xmpp.xml.StreamHeader;
import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmppStreamParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Offline messages in {@code offline_messages} ({@code db/migration/V3__offline.sql}), as XML.
 * The quota is checked and the row inserted in one transaction; two senders racing for an
 * account's last free place may both get it (the quota is a bound on abuse, not an exact count).
 */
public final class JdbcOfflineStore implements OfflineStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcOfflineStore.class);

    private static final String STREAM_OPEN =
            "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public JdbcOfflineStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public boolean store(String account, XmlElement message, int quota) {
        return Boolean.TRUE.equals(tx.execute(status -> {
            int count = jdbc.sql("SELECT COUNT(*) FROM offline_messages WHERE username = ?")
                    .param(account).query(Integer.class).single();
            if (count >= quota) {
                return false;
            }
            jdbc.sql("INSERT INTO offline_messages (username, stanza) VALUES (?, ?)").params(account, message.toXml()).update();
            return true;
        }));
    }

    @Override
    public List<XmlElement> take(String account) {
        return tx.execute(status -> {
            record Row(long id, String stanza) {
            }
            List<Row> rows = jdbc.sql("SELECT id, stanza FROM offline_messages WHERE username = ? ORDER BY id")
                    .param(account).query((rs, n) -> new Row(rs.getLong("id"), rs.getString("stanza"))).list();
            // Return exactly what this call deleted: a message stored meanwhile waits for the next
            // take, and one a concurrent take deleted first is that take's to deliver.
            // A row that no longer parses is deleted with the rest and skipped, so it cannot fail every later read.
            return rows.stream()
                    .filter(row -> jdbc.sql("DELETE FROM offline_messages WHERE id = ?").param(row.id()).update() == 1)
                    .flatMap(row -> readable(account, row.id(), row.stanza()).stream())
                    .toList();
        });
    }

    @Override
    public void deleteAll(String account) {
        jdbc.sql("DELETE FROM offline_messages WHERE username = ?").param(account).update();
    }

    private static Optional<XmlElement> readable(String account, long id, String stanza) {
        try {
            return Optional.of(parse(stanza));
        } catch (RuntimeException e) {
            log.warn("Dropped offline message {} of {}: it cannot be read back ({})", id, account, e.getMessage());
            return Optional.empty();
        }
    }

    /** Reads back what {@link XmlElement#toXml()} wrote, with the stream parser and its usual safety rules. */
    static XmlElement parse(String xml) {
        List<XmlElement> parsed = new ArrayList<>();
        XmppStreamParser parser = new XmppStreamParser(ParserLimits.DEFAULTS, new StreamEventHandler() {
            @Override
            public void streamOpened(StreamHeader header) {
            }

            @Override
            public void element(XmlElement element) {
                parsed.add(element);
            }

            @Override
            public void streamClosed() {
            }
        });
        parser.feed((STREAM_OPEN + xml + "</stream:stream>").getBytes(StandardCharsets.UTF_8));
        if (parsed.size() != 1) {
            throw new IllegalStateException("stored offline message is not one element");
        }
        return parsed.get(0);
    }
}
