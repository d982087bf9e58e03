package io.aviary.gateway.tcp;

import io.aviary.gateway.stream.ClientSession;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feeds the bytes of one TCP connection to its client session, and tells it when the connection ends. */
final class XmppStreamHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(XmppStreamHandler.class);
    /**
     * One read buffer per event loop. The session's parser reads its input only during the call (what a blocking step
     * holds back is copied), so the connections of a loop can share one. A new array per read stayed referenced by the
     * connection's long-lived parser until its next read: at each young collection a thousand connections' last reads
     * were live, copied, and their parsers' cards kept for the next collection to scan again (docs/benchmarks.md,
     * "Which old objects the young collections scan").
     */
    private static final FastThreadLocal<byte[]> READ_BUFFER = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[16 * 1024];
        }
    };

    private final ClientSession session;
    private final QuietPeriods quiet;
    /** Reader-idle events since the last input (the handler's, so the same as IdleStateHandler's). */
    private int quietPeriods;

    XmppStreamHandler(ClientSession session, QuietPeriods quiet) {
        this.session = session;
        this.quiet = quiet;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof ByteBuf buf && buf.isReadable()) {
                boolean afterQuiet = quietPeriods > 0;
                quietPeriods = 0;
                byte[] bytes = READ_BUFFER.get();
                while (buf.isReadable()) {
                    int length = Math.min(bytes.length, buf.readableBytes());
                    buf.readBytes(bytes, 0, length);
                    session.receive(bytes, 0, length);
                }
                if (afterQuiet) {
                    // A quiet stream that speaks once (a ping's answer, XEP-0198's <a/>, a whitespace keepalive)
                    // is most likely quiet again next: its parser rests at once rather than a period later, by
                    // which time the server's own silence probe (probe-after) has made it speak again.
                    session.quiet();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            quietPeriods++;
            session.quiet();
            if (quiet.timedOut(quietPeriods)) {
                session.idle();
            }
        } else if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), handshake.cause().toString());
            ctx.close();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.disconnected();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
