package io.aviary.xep0377;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The review queue in the {@code abuse_reports} table of {@code db/migration/V20__abuse_reports.sql}. */
public final class JdbcAbuseReports implements AbuseReports {

    private final JdbcClient jdbc;

    public JdbcAbuseReports(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    @Override
    public void add(AbuseReport report) {
        jdbc.sql("INSERT INTO abuse_reports (id, received, reporter, reported, reason, report_text, stanza_ids,"
                        + " resolution) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .params(report.id(), OffsetDateTime.ofInstant(report.received(), ZoneOffset.UTC), report.reporter(),
                        report.reported(), report.reason(), report.text(), String.join("\n", report.stanzaIds()),
                        report.resolution())
                .update();
    }

    @Override
    public List<AbuseReport> open(int limit) {
        return jdbc.sql("SELECT * FROM abuse_reports WHERE resolution = '' ORDER BY received, id"
                        + " FETCH FIRST ? ROWS ONLY")
                .param(limit).query(JdbcAbuseReports::report).list();
    }

    @Override
    public Optional<AbuseReport> find(String id) {
        return jdbc.sql("SELECT * FROM abuse_reports WHERE id = ?").param(id).query(JdbcAbuseReports::report)
                .optional();
    }

    @Override
    public boolean resolve(String id, String resolution) {
        return jdbc.sql("UPDATE abuse_reports SET resolution = ? WHERE id = ?").params(resolution, id).update() > 0;
    }

    @Override
    public void removeReporter(String reporter) {
        jdbc.sql("DELETE FROM abuse_reports WHERE reporter = ?").param(reporter).update();
    }

    private static AbuseReport report(ResultSet rs, int row) throws SQLException {
        String ids = rs.getString("stanza_ids");
        return new AbuseReport(rs.getString("id"), rs.getObject("received", OffsetDateTime.class).toInstant(),
                rs.getString("reporter"), rs.getString("reported"), rs.getString("reason"),
                rs.getString("report_text"), ids.isEmpty() ? List.of() : Arrays.asList(ids.split("\n")),
                rs.getString("resolution"));
    }
}
