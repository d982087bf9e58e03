package io.aviary.xep0401;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where invitations are kept, by token hash: on the accounts' database, in memory for tests. */
public interface InvitationStore {

    void add(Invitation invitation);

    Optional<Invitation> find(String tokenHash);

    /** Removes it; whether it was there. */
    boolean remove(String tokenHash);

    /** The unexpired invitations that reserve {@code username}. */
    List<Invitation> reserving(String username, Instant now);

    /** Invitations an account made go with the account. */
    void removeInviter(String inviter);
}
