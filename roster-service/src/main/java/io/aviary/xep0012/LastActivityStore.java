package io.aviary.xep0012;

import java.time.Instant;
import java.util.Optional;

/** When each account last went offline, and the status text it left with (XEP-0012 §3). */
public interface LastActivityStore {

    /** What an account's last unavailable presence said; {@code status} may be null. */
    record Logout(Instant at, String status) {
    }

    void record(String username, Logout logout);

    Optional<Logout> last(String username);

    void delete(String username);
}
