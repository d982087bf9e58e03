package io.aviary.session.resumption;

import java.time.Instant;

/**
 * A resumable session as the store knows it.
 *
 * @param session         what it was opened with, with the gateway and connection that hold it now
 * @param acknowledgedH   the client's last acknowledged {@code h} (0 before any)
 * @param acknowledgedAt  the position of the stanza that acknowledgement covered (0 before any)
 * @param lastPosition    the position of the last stanza appended (0 before any)
 * @param inbound         how many stanzas from the client the server handled (the server's {@code h})
 * @param hibernatedUntil when a hibernated session stops being resumable; null while a connection holds it
 * @param previousGateway on a {@link ResumptionStore#claim}: the gateway that held the session before, else null
 */
public record ResumptionState(ResumableSession session, long acknowledgedH, long acknowledgedAt, long lastPosition,
        long inbound, Instant hibernatedUntil, String previousGateway) {

    public String id() {
        return session.id();
    }
}
