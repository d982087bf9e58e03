package io.aviary.bench.load;

import io.aviary.client.ClientEngine;
import io.aviary.client.XmppConnection;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle}: ramps to N authenticated, available sessions, holds them, and reports how much the
 * server's resident memory grew per session (VmRSS from /proc), plus the generator's own cost.
 *
 * <p>A JVM's RSS also moves with heap sizing and garbage, so for a Java server the live heap after
 * a full GC ({@code jcmd GC.run}, {@code GC.heap_info}) is reported too; docs/benchmarks.md says how
 * to start the server so that RSS growth is meaningful (fixed, pre-touched heap).
 */
final class IdleScenario {

    private IdleScenario() {
    }

    /** @param serverPid the server's process id, or null to skip the server figures */
    static Report run(ClientEngine engine, int users, double ramp, Duration hold, String serverPid, boolean gc,
                      PrintStream out) throws InterruptedException, IOException {
        if (serverPid != null && gc) {
            ProcessMemory.gc(serverPid);
        }
        long serverBefore = serverPid == null ? 0 : ProcessMemory.residentBytes(serverPid);
        long heapBefore = serverPid == null || !gc ? -1 : ProcessMemory.heapUsedBytes(serverPid);
        long clientHeapBefore = ProcessMemory.liveHeapBytes();
        LoginDriver driver = new LoginDriver(engine, true, new XmppConnection.Listener() { });
        out.printf("ramping to %d sessions at %.0f/s%n", users, ramp);
        LoginDriver.LoginOutcome logins = driver.run(users, ramp, i -> i + 1);
        out.printf("%d online, %d failed; holding %ds%n", logins.succeeded(), logins.failed(), hold.toSeconds());
        TimeUnit.MILLISECONDS.sleep(hold.toMillis());
        int online = driver.online().size() - driver.dropped();
        long serverAfter = serverPid == null ? 0 : ProcessMemory.residentBytes(serverPid);
        long serverAfterGc = serverPid != null && gc && ProcessMemory.gc(serverPid)
                ? ProcessMemory.residentBytes(serverPid) : -1;
        long heapAfter = heapBefore < 0 ? -1 : ProcessMemory.heapUsedBytes(serverPid);
        long liveHeapGrowth = heapBefore < 0 || heapAfter < 0 ? -1 : heapAfter - heapBefore;
        long clientHeapAfter = ProcessMemory.liveHeapBytes();
        long clientRss = ProcessMemory.residentBytes("self");

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("sessions requested", Integer.toString(users));
        figures.put("sessions online after hold", Integer.toString(online));
        figures.put("login failures", Long.toString(logins.failed()));
        figures.put("sessions dropped during hold", Integer.toString(driver.dropped()));
        figures.put("login p50 / p99 ms", Report.fixed(logins.latency().p50Ms()) + " / "
                + Report.fixed(logins.latency().p99Ms()));
        if (serverPid != null) {
            figures.put("server RSS before (MiB)", mib(serverBefore));
            figures.put("server RSS after (MiB)", mib(serverAfter));
            figures.put("server bytes/session", perSession(serverAfter - serverBefore, online));
            if (serverAfterGc >= 0) {
                figures.put("server RSS after GC (MiB)", mib(serverAfterGc));
                figures.put("server bytes/session after GC", perSession(serverAfterGc - serverBefore, online));
            }
            if (liveHeapGrowth >= 0) {
                figures.put("server live heap before / after (MiB)", mib(heapBefore) + " / " + mib(heapAfter));
                figures.put("server live heap bytes/session", perSession(liveHeapGrowth, online));
            }
        }
        figures.put("client live heap bytes/session", perSession(clientHeapAfter - clientHeapBefore, online));
        figures.put("client RSS (MiB)", mib(clientRss));
        Report.keyValues(out, figures);
        if (!logins.failureReasons().isEmpty()) {
            out.println("failures: " + logins.failureReasons());
        }
        driver.online().forEach(XmppConnection::close);
        return new Report("idle").put("usersRequested", users).put("ramp", ramp).put("holdSeconds", hold.toSeconds())
                .put("online", online).put("logins", logins).put("dropped", driver.dropped())
                .put("serverPid", serverPid).put("serverRssBefore", serverBefore).put("serverRssAfter", serverAfter)
                .put("serverRssAfterGc", serverAfterGc)
                .put("serverBytesPerSession", online == 0 ? null : (double) (serverAfter - serverBefore) / online)
                .put("serverBytesPerSessionAfterGc", online == 0 || serverAfterGc < 0 ? null
                        : (double) (serverAfterGc - serverBefore) / online)
                .put("serverLiveHeapBefore", heapBefore).put("serverLiveHeapAfter", heapAfter)
                .put("serverLiveHeapBytesPerSession", online == 0 || liveHeapGrowth < 0 ? null
                        : (double) liveHeapGrowth / online)
                .put("clientLiveHeapBytesPerSession", online == 0 ? null
                        : (double) (clientHeapAfter - clientHeapBefore) / online)
                .put("clientRss", clientRss);
    }

    private static String mib(long bytes) {
        return Report.fixed(bytes / 1048576.0);
    }

    private static String perSession(long bytes, int sessions) {
        return sessions == 0 ? "-" : Long.toString(bytes / sessions);
    }
}
