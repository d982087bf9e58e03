package io.aviary.xep0377;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The review queue in memory (tests, and a server without a database). */
public final class InMemoryAbuseReports implements AbuseReports {

    private final Map<String, AbuseReport> reports = new ConcurrentHashMap<>();

    @Override
    public void add(AbuseReport report) {
        reports.put(report.id(), report);
    }

    @Override
    public List<AbuseReport> open(int limit) {
        return reports.values().stream().filter(AbuseReport::open)
                .sorted(Comparator.comparing(AbuseReport::received).thenComparing(AbuseReport::id)).limit(limit).toList();
    }

    @Override
    public Optional<AbuseReport> find(String id) {
        return Optional.ofNullable(reports.get(id));
    }

    @Override
    public boolean resolve(String id, String resolution) {
        return reports.computeIfPresent(id, (key, report) -> report.resolved(resolution)) != null;
    }

    @Override
    public void removeReporter(String reporter) {
        reports.values().removeIf(report -> report.reporter().equals(reporter));
    }
}
