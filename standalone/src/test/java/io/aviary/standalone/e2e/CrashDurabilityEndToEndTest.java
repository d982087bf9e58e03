package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.aviary.standalone.AviaryApplication;
import io.aviary.testclients.XmppClients;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqregister.AccountManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Localpart;

/**
 * The standalone app killed with SIGKILL keeps what it committed: offline messages stored just
 * before the kill arrive after a restart on the same data directory. The app runs as its own JVM.
 */
class CrashDurabilityEndToEndTest {

    private static final Pattern C2S = Pattern.compile("XMPP c2s \\(STARTTLS\\) listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final long START_SECONDS = 240;

    @TempDir
    Path dataDir;

    /** A running server process and its c2s port. */
    private record Server(Process process, int c2sPort) {
    }

    private Server start() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                AviaryApplication.class.getName(),
                "--aviary.domain=" + AviaryTestServer.DOMAIN,
                "--aviary.data-dir=" + dataDir,
                "--aviary.gateway.bind-address=127.0.0.1",
                "--aviary.gateway.c2s-port=0",
                "--aviary.gateway.direct-tls-port=0",
                "--aviary.gateway.http.port=0",
                "--aviary.gateway.http.tls-port=0",
                "--aviary.proxy65.port=0",
                "--aviary.upload.http.port=0",
                "--aviary.gateway.registration-open=true",
                "--server.port=0"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    System.out.println("[aviary process] " + line); // kept in the test's report
                    Matcher matcher = C2S.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("the server ended before listening"));
        }, "aviary-process-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new Server(process, port.get(START_SECONDS, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw e;
        }
    }

    private static XMPPTCPConnection login(int port, String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(port, user, user + "-secret", null).build());
    }

    private static void register(int port, String user) throws Exception {
        XMPPTCPConnection fresh = new XMPPTCPConnection(XmppClients.startTls(port, "nobody", "none", null).build());
        try {
            fresh.connect();
            AccountManager.getInstance(fresh).createAccount(Localpart.from(user), user + "-secret", new HashMap<>());
        } finally {
            fresh.disconnect();
        }
    }

    @Test
    void offlineMessagesCommittedBeforeAKillSurviveIt() throws Exception {
        Server first = start();
        try {
            register(first.c2sPort(), "romeo");
            register(first.c2sPort(), "juliet");
            XMPPTCPConnection romeo = login(first.c2sPort(), "romeo");
            for (int i = 0; i < 10; i++) {
                OfflineEndToEndTest.send(romeo, "juliet@localhost", Message.Type.chat, "message " + i);
            }
            // Juliet's stanzas are handled in order: once an IQ to her bare JID is answered, the ten were stored.
            RawIq.errorOf(romeo, RawIq.get(JidCreate.entityBareFrom("juliet@localhost"), "vCard", "vcard-temp", ""));
        } finally {
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, no close
            assertThat(first.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        Server second = start();
        try {
            XMPPTCPConnection juliet = new XMPPTCPConnection(
                    XmppClients.startTls(second.c2sPort(), "juliet", "juliet-secret", null).build());
            BlockingQueue<Message> inbox = XmppClients.inbox(juliet);
            juliet.connect().login();
            List<String> received = new ArrayList<>();
            for (Message m; received.size() < 10 && (m = XmppClients.next(inbox, Duration.ofSeconds(20))) != null; ) {
                received.add(m.getBody());
            }
            assertThat(received).containsExactlyInAnyOrder("message 0", "message 1", "message 2", "message 3", "message 4",
                    "message 5", "message 6", "message 7", "message 8", "message 9");
            juliet.disconnect();
        } finally {
            second.process().destroy();
            if (!second.process().waitFor(60, TimeUnit.SECONDS)) {
                second.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
