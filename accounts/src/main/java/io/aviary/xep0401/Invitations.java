package io.aviary.xep0401;

import io.aviary.account.Accounts;
import io.aviary.service.ContactInvitations;
import io.aviary.service.InvitationIssuer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.jxmpp.jid.DomainBareJid;
import org.jxmpp.jid.EntityBareJid;

/**
 * Makes and redeems invitations (XEP-0401, XEP-0445, XEP-0379). A token is 22 characters from [A-Za-z0-9] (about 131
 * random bits), shown once in the invitation URI and kept only as its hash; it is used once: registering with it or
 * subscribing with it spends it. Expired invitations are never accepted.
 */
public final class Invitations implements ContactInvitations, InvitationIssuer {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int TOKEN_LENGTH = 22;

    private final InvitationStore store;
    private final DomainBareJid domain;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Invitations(InvitationStore store, DomainBareJid domain, Clock clock) {
        this.store = store;
        this.domain = domain;
        this.clock = clock;
    }

    /**
     * A user's contact invitation ({@code urn:xmpp:invite#invite}): {@code xmpp:inviter?roster;preauth=T}, with
     * {@code ;ibr=y} when it may also create an account here.
     */
    @Override
    public Issued invite(EntityBareJid inviter, boolean register, Duration validity) {
        String token = token();
        Invitation invitation = new Invitation(hash(token), inviter, null, register, clock.instant().plus(validity));
        store.add(invitation);
        return new Issued(token, "xmpp:" + inviter + "?roster;preauth=" + token + (register ? ";ibr=y" : ""),
                invitation.expires());
    }

    /**
     * An account invitation ({@code urn:xmpp:invite#create-account}): {@code xmpp:user@domain?register;preauth=T}
     * with a reserved {@code username}, or {@code xmpp:domain?register;preauth=T}; with an {@code inviter}, the new
     * account and the inviter become mutual contacts.
     */
    @Override
    public Issued createAccount(String username, EntityBareJid inviter, Duration validity) {
        if (username != null && Accounts.normalize(username).isEmpty()) {
            throw new IllegalArgumentException("not a valid username: " + username);
        }
        username = username == null ? null : Accounts.normalize(username).orElseThrow();
        String token = token();
        Invitation invitation = new Invitation(hash(token), inviter, username, true, clock.instant().plus(validity));
        store.add(invitation);
        String target = username == null ? domain.toString() : username + "@" + domain;
        return new Issued(token, "xmpp:" + target + "?register;preauth=" + token, invitation.expires());
    }

    /** The invitation {@code token} stands for while it is valid. */
    public Optional<Invitation> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 256) {
            return Optional.empty();
        }
        return store.find(hash(token)).filter(invitation -> !invitation.expired(clock.instant()));
    }

    @Override
    public void forget(EntityBareJid inviter) {
        store.removeInviter(inviter.toString());
    }

    /** XEP-0379: a contact invitation {@code inviter} made, spent by the subscription that carries its token. */
    @Override
    public boolean redeem(String token, EntityBareJid inviter) {
        return find(token).filter(invitation -> inviter.equals(invitation.inviter())).map(this::spend).orElse(false);
    }

    /** Spends an invitation; whether it was still there (two redemptions at once: one wins). */
    public boolean spend(Invitation invitation) {
        return store.remove(invitation.tokenHash());
    }

    /** Puts back an invitation spent for a registration that then failed. */
    public void restore(Invitation invitation) {
        store.add(invitation);
    }

    /** Whether {@code username} is kept for the holder of another invitation than {@code holding} (XEP-0445 §5). */
    public boolean reservedForAnother(String username, Invitation holding) {
        String localpart = Accounts.normalize(username).orElse(null);
        return localpart != null && store.reserving(localpart, clock.instant()).stream()
                .anyMatch(reservation -> holding == null || !reservation.tokenHash().equals(holding.tokenHash()));
    }

    private String token() {
        StringBuilder token = new StringBuilder(TOKEN_LENGTH);
        for (int i = 0; i < TOKEN_LENGTH; i++) {
            token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return token.toString();
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
