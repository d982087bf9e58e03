package io.aviary.xep0045;

import io.aviary.xmpp.xml.XmlElement;
import io.aviary.xmpp.xml.XmlFragment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link RoomStore} on the {@code muc_*} tables ({@code db/muc/V1__rooms.sql}, migrated by
 * {@code io.aviary.muc.RoomSchema}); the same SQL on H2 (the standalone app's file) and PostgreSQL (a cluster).
 * Presences and messages are kept as XML text and read back through {@link XmlFragment}, the stream parser's rules.
 * A room's writes that span tables run in one transaction, so another instance that takes the room over never reads
 * half of one.
 */
public final class JdbcRoomStore implements RoomStore {

    private static final String OCCUPANT_COLUMNS = "real_jid, nick, role, presence, occupant_id";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    public JdbcRoomStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    @Override
    public Optional<Room> room(EntityBareJid room) {
        String jid = room.toString();
        return tx.execute(status -> jdbc.sql("SELECT locked, created, subject, subject_by FROM muc_rooms WHERE jid = ?")
                .param(jid)
                .query((rs, row) -> new Room(room, config(jid), affiliations(jid),
                        new Subject(rs.getString("subject"), rs.getString("subject_by")), rs.getBoolean("locked"),
                        rs.getObject("created", OffsetDateTime.class).toInstant()))
                .optional());
    }

    private RoomConfig config(String room) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        jdbc.sql("SELECT var, val FROM muc_room_config WHERE room = ? ORDER BY var, position").param(room)
                .query(rs -> {
                    fields.computeIfAbsent(rs.getString("var"), var -> new ArrayList<>()).add(rs.getString("val"));
                });
        return RoomConfig.fromFields(fields);
    }

    private Map<BareJid, AffiliationEntry> affiliations(String room) {
        Map<BareJid, AffiliationEntry> entries = new LinkedHashMap<>();
        jdbc.sql("SELECT user_jid, affiliation, nick, reason FROM muc_affiliations WHERE room = ?").param(room)
                .query(rs -> {
                    BareJid user = JidCreate.bareFromOrThrowUnchecked(rs.getString("user_jid"));
                    entries.put(user, new AffiliationEntry(user, Affiliation.valueOf(rs.getString("affiliation")),
                            rs.getString("nick"), rs.getString("reason")));
                });
        return entries;
    }

    @Override
    public void saveRoom(Room room) {
        String jid = room.jid().toString();
        tx.executeWithoutResult(status -> {
            int updated = jdbc.sql("UPDATE muc_rooms SET locked = ?, created = ?, subject = ?, subject_by = ?"
                            + " WHERE jid = ?")
                    .params(room.locked(), utc(room.created()), room.subject().text(), room.subject().by(), jid)
                    .update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO muc_rooms (jid, service, locked, created, subject, subject_by)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")
                        .params(jid, room.jid().asDomainBareJid().toString(), room.locked(), utc(room.created()),
                                room.subject().text(), room.subject().by())
                        .update();
            }
            jdbc.sql("DELETE FROM muc_room_config WHERE room = ?").param(jid).update();
            room.config().toFields().forEach((var, values) -> {
                for (int i = 0; i < values.size(); i++) {
                    jdbc.sql("INSERT INTO muc_room_config (room, var, position, val) VALUES (?, ?, ?, ?)")
                            .params(jid, var, i, values.get(i)).update();
                }
            });
            jdbc.sql("DELETE FROM muc_affiliations WHERE room = ?").param(jid).update();
            for (AffiliationEntry entry : room.affiliations().values()) {
                String user = entry.user().toString();
                jdbc.sql("INSERT INTO muc_affiliations (room, user_jid, user_key, affiliation, nick, reason)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")
                        .params(jid, user, key(user), entry.affiliation().name(), entry.nick(), entry.reason())
                        .update();
            }
        });
    }

    @Override
    public void removeRoom(EntityBareJid room) {
        String jid = room.toString();
        tx.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM muc_occupants WHERE room = ?").param(jid).update();
            jdbc.sql("DELETE FROM muc_history WHERE room = ?").param(jid).update();
            jdbc.sql("DELETE FROM muc_rooms WHERE jid = ?").param(jid).update(); // config, affiliations, vCard cascade
        });
    }

    @Override
    public List<Room> rooms(DomainBareJid service) {
        return jdbc.sql("SELECT jid FROM muc_rooms WHERE service = ? ORDER BY jid").param(service.toString())
                .query((rs, row) -> JidCreate.entityBareFromOrThrowUnchecked(rs.getString("jid"))).list().stream()
                .map(this::room).flatMap(Optional::stream).toList();
    }

    /** Affiliations by the user's key ({@code db/muc/V3}); hats by reading every room's hat field, rarely done. */
    @Override
    public List<EntityBareJid> roomsNaming(BareJid user) {
        String jid = user.toString();
        Set<String> naming = new TreeSet<>(jdbc.sql(
                "SELECT room FROM muc_affiliations WHERE user_key = ? AND user_jid = ?").params(key(jid), jid)
                .query(String.class).list());
        jdbc.sql("SELECT room, val FROM muc_room_config WHERE var = ?").param(RoomConfig.HATS).query(rs -> {
            if (Hat.fromStored(rs.getString("val")).wearer().equals(user)) {
                naming.add(rs.getString("room"));
            }
        });
        return naming.stream().map(JidCreate::entityBareFromOrThrowUnchecked).toList();
    }

    @Override
    public List<Occupant> occupants(EntityBareJid room) {
        return jdbc.sql("SELECT " + OCCUPANT_COLUMNS + " FROM muc_occupants WHERE room = ? ORDER BY room, seq")
                .param(room.toString()).query(JdbcRoomStore::occupant).list();
    }

    @Override
    public void saveOccupant(EntityBareJid room, Occupant occupant) {
        String real = occupant.realJid().toString();
        String presence = occupant.presence().toXml();
        // In place when the session is already in, so it keeps its place in the order of entry.
        int updated = jdbc.sql("UPDATE muc_occupants SET nick = ?, role = ?, presence = ?, occupant_id = ?"
                        + " WHERE room = ? AND real_key = ? AND real_jid = ?")
                .params(occupant.nick(), occupant.role().name(), presence, occupant.occupantId(), room.toString(),
                        key(real), real)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO muc_occupants (room, real_jid, real_key, nick, role, presence, occupant_id)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .params(room.toString(), real, key(real), occupant.nick(), occupant.role().name(), presence,
                            occupant.occupantId())
                    .update();
        }
    }

    @Override
    public void removeOccupant(EntityBareJid room, EntityFullJid realJid) {
        String real = realJid.toString();
        jdbc.sql("DELETE FROM muc_occupants WHERE room = ? AND real_key = ? AND real_jid = ?")
                .params(room.toString(), key(real), real).update();
    }

    @Override
    public List<EntityBareJid> roomsOf(EntityFullJid realJid) {
        String real = realJid.toString();
        return jdbc.sql("SELECT DISTINCT room FROM muc_occupants WHERE real_key = ? AND real_jid = ?")
                .params(key(real), real)
                .query((rs, row) -> JidCreate.entityBareFromOrThrowUnchecked(rs.getString("room"))).list();
    }

    @Override
    public void appendHistory(EntityBareJid room, HistoryEntry entry, int keep) {
        String jid = room.toString();
        tx.executeWithoutResult(status -> {
            jdbc.sql("INSERT INTO muc_history (room, stamp, message) VALUES (?, ?, ?)")
                    .params(jid, utc(entry.at()), entry.message().toXml()).update();
            // The newest entry to go: the (keep + 1)-th from the end, walking the (room, seq) index.
            jdbc.sql("SELECT seq FROM muc_history WHERE room = ? ORDER BY room DESC, seq DESC"
                            + " OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY")
                    .params(jid, keep).query(Long.class).optional()
                    .ifPresent(last -> jdbc.sql("DELETE FROM muc_history WHERE room = ? AND seq <= ?")
                            .params(jid, last).update());
        });
    }

    @Override
    public List<HistoryEntry> history(EntityBareJid room) {
        return jdbc.sql("SELECT stamp, message FROM muc_history WHERE room = ? ORDER BY room, seq")
                .param(room.toString())
                .query((rs, row) -> new HistoryEntry(rs.getObject("stamp", OffsetDateTime.class).toInstant(),
                        XmlFragment.parse(rs.getString("message"))))
                .list();
    }

    @Override
    public Optional<XmlElement> vcard(EntityBareJid room) {
        return jdbc.sql("SELECT vcard FROM muc_room_vcards WHERE room = ?").param(room.toString())
                .query(String.class).optional().map(XmlFragment::parse);
    }

    @Override
    public void saveVcard(EntityBareJid room, XmlElement vcard) {
        String jid = room.toString();
        tx.executeWithoutResult(status -> {
            jdbc.sql("DELETE FROM muc_room_vcards WHERE room = ?").param(jid).update();
            if (vcard != null) {
                jdbc.sql("INSERT INTO muc_room_vcards (room, vcard) VALUES (?, ?)").params(jid, vcard.toXml()).update();
            }
        });
    }

    /** Reads the room's entries to find the id: a history is short, and moderation rare, so it needs no column. */
    @Override
    public boolean removeHistory(EntityBareJid room, String stanzaId) {
        List<Long> matching = jdbc.sql("SELECT seq, message FROM muc_history WHERE room = ? ORDER BY room, seq")
                .param(room.toString())
                .query((rs, row) -> stanzaId.equals(RoomArchive.stanzaId(XmlFragment.parse(rs.getString("message")),
                        room)) ? rs.getLong("seq") : null)
                .list().stream().filter(Objects::nonNull).toList();
        matching.forEach(seq -> jdbc.sql("DELETE FROM muc_history WHERE seq = ?").param(seq).update());
        return !matching.isEmpty();
    }

    /**
     * Forgets every occupant, and removes the temporary rooms, which have none left (§10.1.1: a temporary room is
     * destroyed when its last occupant leaves). For a store whose occupants' sessions are all gone, as the
     * standalone app's are when it starts: no session survives its restart.
     *
     * @return the temporary rooms removed
     */
    public List<EntityBareJid> clearOccupants() {
        return tx.execute(status -> {
            jdbc.sql("DELETE FROM muc_occupants").update();
            List<EntityBareJid> temporary = jdbc.sql("SELECT jid FROM muc_rooms").query(String.class).list().stream()
                    .map(JidCreate::entityBareFromOrThrowUnchecked)
                    .filter(jid -> room(jid).map(r -> !r.config().persistent()).orElse(false))
                    .toList();
            temporary.forEach(this::removeRoom);
            return temporary;
        });
    }

    private static Occupant occupant(ResultSet rs, int row) throws SQLException {
        return new Occupant(rs.getString("nick"), JidCreate.entityFullFromOrThrowUnchecked(rs.getString("real_jid")),
                Role.valueOf(rs.getString("role")), XmlFragment.parse(rs.getString("presence")),
                rs.getString("occupant_id"));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** The first 64 bits of the JID's SHA-256: what the indexes hold instead of JIDs of any length. */
    static long key(String jid) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jid.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
