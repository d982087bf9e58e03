package io.aviary.xep0401;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Invitations in memory (tests). */
public final class InMemoryInvitationStore implements InvitationStore {

    private final Map<String, Invitation> invitations = new ConcurrentHashMap<>();

    @Override
    public void add(Invitation invitation) {
        invitations.put(invitation.tokenHash(), invitation);
    }

    @Override
    public Optional<Invitation> find(String tokenHash) {
        return Optional.ofNullable(invitations.get(tokenHash));
    }

    @Override
    public boolean remove(String tokenHash) {
        return invitations.remove(tokenHash) != null;
    }

    @Override
    public List<Invitation> reserving(String username, Instant now) {
        return invitations.values().stream()
                .filter(invitation -> username.equals(invitation.username()) && !invitation.expired(now)).toList();
    }

    @Override
    public void removeInviter(String inviter) {
        invitations.values().removeIf(invitation -> invitation.inviter() != null
                && invitation.inviter().toString().equals(inviter));
    }
}
