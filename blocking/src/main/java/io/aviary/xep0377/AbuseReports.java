package io.aviary.xep0377;

import java.util.List;
import java.util.Optional;

/** The operators' review queue of abuse reports (XEP-0377): filled by the blocking command, worked by the admins. */
public interface AbuseReports {

    void add(AbuseReport report);

    /** The reports waiting for review, oldest first, at most {@code limit}. */
    List<AbuseReport> open(int limit);

    Optional<AbuseReport> find(String id);

    /** Marks a report as dealt with, saying how; whether it was there. */
    boolean resolve(String id, String resolution);

    /** Forgets the reports an account made (its data goes with it). */
    void removeReporter(String reporter);
}
