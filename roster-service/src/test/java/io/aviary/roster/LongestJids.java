package io.aviary.roster;

import java.util.Random;

/**
 * JIDs as long as RFC 7622 allows (1023 bytes for each part), of random letters, so that a
 * database cannot compress them below its index entry limit (PostgreSQL's btree: 2704 bytes).
 */
public final class LongestJids {

    private LongestJids() {
    }

    /** A localpart (or a domainpart or resourcepart) of 1023 letters; the same for the same seed. */
    public static String part(long seed) {
        Random random = new Random(seed);
        StringBuilder part = new StringBuilder(1023);
        for (int i = 0; i < 1023; i++) {
            part.append((char) ('a' + random.nextInt(26)));
        }
        return part.toString();
    }

    public static String bareJid(long seed) {
        return part(seed) + "@" + part(seed + 1);
    }

    public static String fullJid(long seed) {
        return bareJid(seed) + "/" + part(seed + 2);
    }
}
