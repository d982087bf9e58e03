package io.aviary.testclients;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.bytestreams.socks5.Socks5Proxy;
import org.jivesoftware.smackx.filetransfer.FileTransfer;
import org.jivesoftware.smackx.filetransfer.FileTransferListener;
import org.jivesoftware.smackx.filetransfer.FileTransferManager;
import org.jivesoftware.smackx.filetransfer.FileTransferNegotiator;
import org.jivesoftware.smackx.filetransfer.FileTransferRequest;
import org.jivesoftware.smackx.filetransfer.OutgoingFileTransfer;

/**
 * XEP-0096 file transfer between two Smack clients through the server: over SOCKS5 bytestreams with the server's
 * proxy as the only streamhost (Smack's own local proxy is off, so neither client offers a direct connection), or
 * over in-band bytestreams only.
 */
public final class FileTransfers {

    /**
     * How long a whole transfer may take. 10 MB in-band: ~15 s standalone (the traffic shaper's 1 MB/s), ~33 s in the
     * test cluster (Smack waits for each 4 KB block's IQ result, a Kafka round trip through two gateways).
     */
    public static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(90);

    static {
        // Smack's default: each client also runs a SOCKS5 proxy of its own and offers it as a streamhost.
        Socks5Proxy.setLocalSocks5ProxyEnabled(false);
    }

    private FileTransfers() {
    }

    /** {@code size} random bytes, the same for the same seed. */
    public static byte[] randomFile(int size, long seed) {
        byte[] file = new byte[size];
        new Random(seed).nextBytes(file);
        return file;
    }

    /**
     * Closes a stream read to its end. Smack's in-band session answers the sender's close and then sends a close of
     * its own, which the sender, whose session is gone, refuses with item-not-found: that is no failure of the file.
     */
    private static void closeAfterTheEnd(InputStream in) {
        try {
            in.close();
        } catch (IOException alreadyClosedByThePeer) {
            // see above
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code sender} sends {@code file} to {@code receiver}, which accepts it; the SHA-256 of what the receiver read.
     * Fails unless the sender's side ends complete.
     *
     * @param inBandOnly only XEP-0047 in-band bytestreams, else SOCKS5 (Smack falls back to in-band bytestreams
     *                   when SOCKS5 fails: callers check the proxy relayed it)
     */
    public static String transfer(XMPPTCPConnection sender, XMPPTCPConnection receiver, byte[] file,
                                  boolean inBandOnly) throws Exception {
        FileTransferNegotiator.IBB_ONLY = inBandOnly;
        FileTransferManager receiving = FileTransferManager.getInstanceFor(receiver);
        CompletableFuture<FileTransferRequest> offered = new CompletableFuture<>();
        FileTransferListener listener = offered::complete;
        receiving.addFileTransferListener(listener);
        try {
            OutgoingFileTransfer outgoing = FileTransferManager.getInstanceFor(sender)
                    .createOutgoingFileTransfer(receiver.getUser());
            outgoing.sendStream(new ByteArrayInputStream(file), "file.bin", file.length, "a test file");
            FileTransferRequest request = offered.get(30, TimeUnit.SECONDS);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
                try {
                    InputStream in = request.accept().receiveFile();
                    byte[] buffer = new byte[64 * 1024];
                    for (int read; (read = in.read(buffer)) != -1; ) {
                        digest.update(buffer, 0, read);
                    }
                    closeAfterTheEnd(in);
                    return HexFormat.of().formatHex(digest.digest());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String sha256 = received.get(TRANSFER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!outgoing.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            if (outgoing.getStatus() != FileTransfer.Status.complete) {
                throw new AssertionError("the sender ended " + outgoing.getStatus() + " " + outgoing.getError(),
                        outgoing.getException());
            }
            return sha256;
        } finally {
            receiving.removeFileTransferListener(listener);
            FileTransferNegotiator.IBB_ONLY = false;
        }
    }
}
