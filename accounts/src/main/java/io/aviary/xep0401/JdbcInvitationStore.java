package io.aviary.xep0401;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jxmpp.jid.impl.JidCreate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Invitations in the {@code invitations} table of {@code db/migration/V21__invitations.sql}. */
public final class JdbcInvitationStore implements InvitationStore {

    private final JdbcClient jdbc;

    public JdbcInvitationStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public void add(Invitation invitation) {
        jdbc.sql("INSERT INTO invitations (token_hash, inviter, username, may_register, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?)")
                .params(invitation.tokenHash(), invitation.inviter() == null ? null : invitation.inviter().toString(),
                        invitation.username(), invitation.register(), invitation.expires().toEpochMilli())
                .update();
    }

    @Override
    public Optional<Invitation> find(String tokenHash) {
        return jdbc.sql("SELECT * FROM invitations WHERE token_hash = ?").param(tokenHash)
                .query(JdbcInvitationStore::invitation).optional();
    }

    @Override
    public boolean remove(String tokenHash) {
        return jdbc.sql("DELETE FROM invitations WHERE token_hash = ?").param(tokenHash).update() > 0;
    }

    @Override
    public List<Invitation> reserving(String username, Instant now) {
        return jdbc.sql("SELECT * FROM invitations WHERE username = ? AND expires_at > ?")
                .params(username, now.toEpochMilli()).query(JdbcInvitationStore::invitation).list();
    }

    @Override
    public void removeInviter(String inviter) {
        jdbc.sql("DELETE FROM invitations WHERE inviter = ?").param(inviter).update();
    }

    private static Invitation invitation(ResultSet rs, int row) throws SQLException {
        String inviter = rs.getString("inviter");
        return new Invitation(rs.getString("token_hash"),
                inviter == null ? null : JidCreate.entityBareFromOrThrowUnchecked(inviter), rs.getString("username"),
                rs.getBoolean("may_register"), Instant.ofEpochMilli(rs.getLong("expires_at")));
    }
}
