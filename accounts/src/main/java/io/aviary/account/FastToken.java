package io.aviary.account;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * One stored XEP-0484 FAST token: its SHA-256 hash, never the token.
 *
 * @param client    the hex SHA-256 of the client's SASL2 {@code <user-agent id>}
 * @param slot      {@link Slot#NEW} until first used, then {@link Slot#CURRENT} (XEP-0484 §6.1)
 * @param mechanism the HT mechanism the token was requested for; it is good for that one only (XEP-0484 §4.4)
 * @param lastCount the highest replay counter accepted with it (XEP-0484 §4.4), -1 before any
 */
public record FastToken(String username, String client, Slot slot, String mechanism, byte[] hash, Instant issued,
                        Instant expires, long lastCount) {

    public enum Slot { NEW, CURRENT }

    public FastToken {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(mechanism, "mechanism");
        hash = hash.clone();
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    boolean hashEquals(byte[] other) {
        return MessageDigest.isEqual(hash, other);
    }

    FastToken in(Slot newSlot, long count) {
        return new FastToken(username, client, newSlot, mechanism, hash, issued, expires, count);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastToken t && username.equals(t.username) && client.equals(t.client) && slot == t.slot
                && hashEquals(t.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, client, slot);
    }

    @Override
    public String toString() {
        return "FastToken[" + username + ", client=" + client + ", " + slot + ", " + mechanism + ", expires=" + expires + "]";
    }
}
