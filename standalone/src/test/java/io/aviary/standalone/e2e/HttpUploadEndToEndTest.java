package io.aviary.standalone.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aviary.testclients.XmppClients;
import io.aviary.xep0363.FileKey;
import io.aviary.xep0363.FileStore;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.httpfileupload.HttpFileUploadManager;
import org.jivesoftware.smackx.httpfileupload.element.Slot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;

/**
 * XEP-0363 end to end: Smack's HttpFileUploadManager finds {@code upload.localhost} in the domain's disco#items,
 * uploads over HTTPS, and plain HTTP clients try what a hostile or sloppy one would.
 */
class HttpUploadEndToEndTest {

    private static final String NS = "urn:xmpp:http:upload:0";
    private static final long MAX = 1024 * 1024;
    private static AviaryTestServer server;
    private static HttpClient http;
    private static SSLContext trustingTheServer;
    private static BystanderPair bystanders;
    private static XMPPTCPConnection romeo;

    @BeforeAll
    static void start() throws Exception {
        server = AviaryTestServer.start("aviary.upload.max-file-size=1MB",
                "aviary.upload.quota=3MB", "aviary.upload.expiry=20s", "aviary.upload.sweep-interval=1s");
        for (String user : new String[] {"romeo", "hoarder", "mercutio"}) {
            server.accounts().register(user, user + "-secret");
        }
        trustingTheServer = trusting(server.dataDir().resolve("tls").resolve("self-signed-localhost.crt"));
        http = HttpClient.newBuilder().sslContext(trustingTheServer).connectTimeout(Duration.ofSeconds(10)).build();
        bystanders = new BystanderPair(server);
        romeo = login("romeo");
    }

    @AfterAll
    static void stop() {
        romeo.disconnect();
        bystanders.close();
        server.close();
    }

    @AfterEach
    void bystandersStillChat() throws Exception {
        bystanders.stillChat();
    }

    @Test
    void smackUploadsAFileThatDownloadsWithTheSameHash() throws Exception {
        HttpFileUploadManager manager = HttpFileUploadManager.getInstanceFor(romeo);
        manager.setTlsContext(trustingTheServer);
        assertThat(manager.discoverUploadService()).isTrue();
        assertThat(manager.getDefaultUploadService().getAddress().toString()).isEqualTo("upload.localhost");
        assertThat(manager.getDefaultUploadService().getMaxFileSize()).isEqualTo(MAX);

        Path file = Files.createTempFile("verona", ".bin");
        byte[] content = new byte[700_000];
        new Random(42).nextBytes(content);
        Files.write(file, content);
        URL url = manager.uploadFile(file.toFile());

        HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(url.toURI()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(sha256(download.body())).isEqualTo(sha256(content));
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
        assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(download.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void anOversizeRequestIsFileTooLargeWithTheMaximum() throws Exception {
        // Smack refuses to ask for more than the advertised maximum, so the request is sent raw.
        StanzaError error = errorTo(new SlotRequest("filename='huge.iso' size='" + (MAX + 1) + "'"));
        assertThat(error.getCondition()).isEqualTo(StanzaError.Condition.not_acceptable);
        assertThat(error.toXML().toString()).contains("<file-too-large xmlns='" + NS + "'>")
                .contains("<max-file-size>" + MAX + "</max-file-size>");
    }

    @Test
    void badNamesAndSizesAreNotAcceptable() throws Exception {
        for (String request : new String[] {"filename='' size='10'", "filename='a/b' size='10'",
                "filename='ok.txt' size='-1'", "filename='ok.txt' size='ten'", "filename='ok.txt'",
                "filename='ok.txt' size='10' content-type='not a type'"}) {
            assertThat(errorOf(new SlotRequest(request))).as(request).isEqualTo(StanzaError.Condition.not_acceptable);
        }
    }

    @Test
    void aPutUrlWorksOnce() throws Exception {
        Slot slot = manager(romeo).requestSlot("once.txt", 5, "text/plain");
        assertThat(put(slot.getPutUrl().toString(), "hello", "text/plain")).isEqualTo(201);
        assertThat(put(slot.getPutUrl().toString(), "hello", "text/plain")).isEqualTo(409);
        assertThat(get(slot.getGetUrl().toString()).body()).isEqualTo("hello");
    }

    @Test
    void anAlteredPutUrlOrAnotherBodyIsRefused() throws Exception {
        Slot slot = manager(romeo).requestSlot("signed.txt", 5, "text/plain");
        String url = slot.getPutUrl().toString();
        assertThat(put(url.replace("size=5", "size=6"), "hello!", "text/plain")).isEqualTo(403);
        assertThat(put(url.replace("signed.txt", "evil.html"), "hello", "text/plain")).isEqualTo(403);
        assertThat(put(url.replace("type=text%2Fplain", "type=text%2Fhtml"), "hello", "text/html")).isEqualTo(403);
        assertThat(put(url.replaceAll("expires=\\d+", "expires=99999999999"), "hello", "text/plain")).isEqualTo(403);
        String signature = url.substring(url.indexOf("sig=") + 4);
        String otherSignature = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        assertThat(put(url.replace(signature, otherSignature), "hello", "text/plain")).isEqualTo(403);
        // XEP-0363 §6: the body must be the size asked for, and of the type asked for.
        assertThat(put(url, "hello, world", "text/plain")).isEqualTo(413);
        assertThat(put(url, "hell", "text/plain")).isEqualTo(400);
        assertThat(put(url, "hello", "text/html")).isEqualTo(400);
        assertThat(get(slot.getGetUrl().toString()).statusCode()).as("nothing stored").isEqualTo(404);

        assertThat(put(url, "hello", "text/plain")).as("the untouched URL still works").isEqualTo(201);
    }

    @Test
    void anAccountCannotStoreMoreThanItsQuota() throws Exception {
        XMPPTCPConnection hoarder = login("hoarder");
        try {
            String block = "x".repeat((int) MAX);
            for (int i = 0; i < 3; i++) {
                Slot slot = manager(hoarder).requestSlot("block" + i, MAX);
                assertThat(put(slot.getPutUrl().toString(), block, "application/octet-stream")).isEqualTo(201);
            }
            assertThatThrownBy(() -> manager(hoarder).requestSlot("one-more", 1))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e -> assertThat(
                            e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.resource_constraint));
            assertThat(manager(romeo).requestSlot("others-are-fine", 1)).isNotNull();
        } finally {
            hoarder.disconnect();
        }
    }

    @Test
    void anExpiredFileIsSweptAndGone() throws Exception {
        XMPPTCPConnection mercutio = login("mercutio");
        try {
            Slot slot = manager(mercutio).requestSlot("plague.txt", 4, "text/plain");
            assertThat(put(slot.getPutUrl().toString(), "both", "text/plain")).isEqualTo(201);
            assertThat(get(slot.getGetUrl().toString()).statusCode()).isEqualTo(200);
            FileStore store = server.context().getBean(FileStore.class);
            String owner = FileKey.owner(JidCreate.entityBareFrom("mercutio@localhost"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!store.list(owner).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(store.list(owner)).as("swept after aviary.upload.expiry=20s").isEmpty();
            assertThat(get(slot.getGetUrl().toString()).statusCode()).isEqualTo(404);
        } finally {
            mercutio.disconnect();
        }
    }

    @Test
    void scriptsAndHtmlAreServedAsDownloadsAndImagesInline() throws Exception {
        String script = "<script>alert('xss')</script>";
        Slot html = manager(romeo).requestSlot("page.html", script.length(), "text/html");
        assertThat(put(html.getPutUrl().toString(), script, "text/html")).isEqualTo(201);
        HttpResponse<String> page = get(html.getGetUrl().toString());
        assertThat(page.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(page.headers().firstValue("Content-Disposition")).hasValue("attachment; filename*=UTF-8''page.html");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; sandbox");
        assertThat(page.headers().firstValue("Cache-Control")).isPresent();

        Slot svg = manager(romeo).requestSlot("logo.svg", 6, "image/svg+xml");
        assertThat(put(svg.getPutUrl().toString(), "<svg/>", "image/svg+xml")).isEqualTo(201);
        assertThat(get(svg.getGetUrl().toString()).headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment");

        Slot png = manager(romeo).requestSlot("pic.png", 4, "image/png");
        assertThat(put(png.getPutUrl().toString(), "\u0089PNG", "image/png")).isEqualTo(201);
        HttpResponse<String> picture = get(png.getGetUrl().toString());
        assertThat(picture.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(picture.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("inline");
    }

    @Test
    void webClientsMayPutAcrossOrigins() throws Exception {
        Slot slot = manager(romeo).requestSlot("cors.txt", 1, "text/plain");
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(slot.getPutUrl().toString()))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://web.example").header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("Content-Type");
    }

    @Test
    void unknownRequestsToTheServiceAreServiceUnavailable() throws Exception {
        assertThat(RawIq.errorOf(romeo, RawIq.get(JidCreate.from("upload.localhost"), "query", "jabber:iq:version", "")))
                .isEqualTo(StanzaError.Condition.service_unavailable);
        SlotRequest set = new SlotRequest("filename='a.txt' size='1'");
        set.setType(IQ.Type.set);
        assertThat(errorOf(set)).as("a slot request is a get").isEqualTo(StanzaError.Condition.service_unavailable);
        assertThat(RawIq.errorOf(romeo, RawIq.get(JidCreate.from("someone@upload.localhost"), "request", NS, "")))
                .isEqualTo(StanzaError.Condition.service_unavailable);
    }

    /** A slot request with any attributes, as no library would send it. */
    private static final class SlotRequest extends IQ {

        private final String attributes;

        SlotRequest(String attributes) {
            super("request", NS);
            this.attributes = attributes;
            setType(Type.get);
            setTo(JidCreate.fromOrThrowUnchecked("upload.localhost"));
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.append(" ").append(attributes);
            xml.setEmptyElement();
            return xml;
        }
    }

    private static StanzaError.Condition errorOf(IQ request) throws Exception {
        return errorTo(request).getCondition();
    }

    private static StanzaError errorTo(IQ request) throws Exception {
        try {
            romeo.sendIqRequestAndWaitForResponse(request);
        } catch (XMPPException.XMPPErrorException e) {
            return e.getStanzaError();
        }
        throw new AssertionError("expected an error reply to " + request.toXML());
    }

    private static XMPPTCPConnection login(String user) throws Exception {
        return XmppClients.connect(XmppClients.startTls(server.c2sPort(), user, user + "-secret", null).build());
    }

    private static HttpFileUploadManager manager(XMPPTCPConnection connection) throws Exception {
        HttpFileUploadManager manager = HttpFileUploadManager.getInstanceFor(connection);
        manager.setTlsContext(trustingTheServer);
        if (!manager.isUploadServiceDiscovered()) {
            assertThat(manager.discoverUploadService()).isTrue();
        }
        return manager;
    }

    private static int put(String url, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.ISO_8859_1)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /** Trusts exactly the server's self-signed certificate, as a client told of it out of band would. */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("aviary", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
