package io.aviary.xep0065;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One SOCKS5 connection to the proxy (RFC 1928 as XEP-0065 §5.3 and §6.3 narrow it): the greeting, which must offer
 * "no authentication"; the CONNECT request for the domain-name address that is the transfer's 40-character hash;
 * then waiting for activation; then relaying to the other connection of the pair. Bad input gets the RFC 1928 reply
 * that names it and the connection is closed.
 */
final class Socks5Connection extends ChannelInboundHandlerAdapter {

    static final byte VERSION = 5;
    static final byte NO_AUTHENTICATION = 0;
    static final byte NO_ACCEPTABLE_METHODS = (byte) 0xFF;
    static final byte CONNECT = 1;
    static final byte DOMAIN_NAME = 3;
    static final byte SUCCEEDED = 0;
    static final byte GENERAL_FAILURE = 1;
    static final byte NOT_ALLOWED = 2;
    static final byte HOST_UNREACHABLE = 4;
    static final byte COMMAND_NOT_SUPPORTED = 7;
    static final byte ADDRESS_TYPE_NOT_SUPPORTED = 8;

    /** Bytes a client may send before its transfer is activated (a requester must not send any, §6.3.4). */
    static final int MAX_EARLY_BYTES = 64 * 1024;

    private static final Pattern HASH = Pattern.compile("[0-9a-fA-F]{40}");

    private enum State { GREETING, REQUEST, WAITING, RELAY, CLOSED }

    private final Transfers transfers;
    private final Duration activationTimeout;
    private final Duration idleTimeout;
    private ChannelHandlerContext context;
    private ByteBuf pending;
    private State state = State.GREETING;
    private String hash;
    private Channel peer;
    private Transfers.Transfer transfer;

    Socks5Connection(Transfers transfers, Duration activationTimeout, Duration idleTimeout) {
        this.transfers = transfers;
        this.activationTimeout = activationTimeout;
        this.idleTimeout = idleTimeout;
    }

    /** The handler of {@code channel}; a channel that has closed has none. */
    static Optional<Socks5Connection> of(Channel channel) {
        return Optional.ofNullable(channel.pipeline().get(Socks5Connection.class));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
        pending = ctx.alloc().buffer();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.executor().schedule(() -> {
            if (state != State.RELAY) {
                ctx.close();
            }
        }, activationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (state == State.RELAY) {
            forward(ctx, bytes);
            return;
        }
        if (state == State.CLOSED) {
            bytes.release();
            return;
        }
        pending.writeBytes(bytes);
        bytes.release();
        if (state == State.GREETING) {
            greeting(ctx);
        }
        if (state == State.REQUEST) {
            request(ctx);
        }
        if (state == State.WAITING && pending.readableBytes() > MAX_EARLY_BYTES) {
            if (transfers.activated(hash)) {
                // Activated, but relayTo has not run on this event loop yet (a busy loop reads before it runs its
                // tasks): hold what came and read no more until it does.
                ctx.channel().config().setAutoRead(false);
            } else {
                closeNow(ctx);
            }
        }
    }

    /** VER, NMETHODS, METHODS: only "no authentication required" (XEP-0065 §5.3.1). */
    private void greeting(ChannelHandlerContext ctx) {
        if (pending.readableBytes() < 2) {
            return;
        }
        int methods = pending.getUnsignedByte(pending.readerIndex() + 1);
        if (pending.getByte(pending.readerIndex()) != VERSION) {
            refuseMethods(ctx);
            return;
        }
        if (pending.readableBytes() < 2 + methods) {
            return;
        }
        pending.skipBytes(2);
        boolean none = false;
        for (int i = 0; i < methods; i++) {
            none |= pending.readByte() == NO_AUTHENTICATION;
        }
        if (!none) {
            refuseMethods(ctx);
            return;
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {VERSION, NO_AUTHENTICATION}));
        state = State.REQUEST;
    }

    /** VER, CMD, RSV, ATYP, DST.ADDR, DST.PORT: CONNECT to the hash as a domain name, port 0 (§5.3.2). */
    private void request(ChannelHandlerContext ctx) {
        if (pending.readableBytes() < 5) {
            return;
        }
        int at = pending.readerIndex();
        if (pending.getByte(at) != VERSION) {
            fail(ctx, GENERAL_FAILURE);
        } else if (pending.getByte(at + 1) != CONNECT) {
            fail(ctx, COMMAND_NOT_SUPPORTED);
        } else if (pending.getByte(at + 3) != DOMAIN_NAME) {
            fail(ctx, ADDRESS_TYPE_NOT_SUPPORTED);
        } else {
            int length = pending.getUnsignedByte(at + 4);
            if (length != 40) {
                fail(ctx, HOST_UNREACHABLE);
                return;
            }
            if (pending.readableBytes() < 5 + length + 2) {
                return;
            }
            String address = pending.toString(at + 5, length, StandardCharsets.US_ASCII);
            pending.skipBytes(5 + length + 2);
            if (!HASH.matcher(address).matches()) {
                fail(ctx, HOST_UNREACHABLE);
                return;
            }
            join(ctx, address);
        }
    }

    private void join(ChannelHandlerContext ctx, String address) {
        Transfers.Join joined = transfers.join(address.toLowerCase(Locale.ROOT), ctx.channel());
        if (joined == Transfers.Join.FULL || joined == Transfers.Join.TAKEN) {
            fail(ctx, NOT_ALLOWED);
            return;
        }
        hash = address.toLowerCase(Locale.ROOT);
        state = State.WAITING;
        // §6.3.3 (as §5.3.3): the reply carries the hash as a domain name and port 0.
        ByteBuf reply = ctx.alloc().buffer(7 + address.length());
        reply.writeByte(VERSION).writeByte(SUCCEEDED).writeByte(0).writeByte(DOMAIN_NAME)
                .writeByte(address.length()).writeCharSequence(address, StandardCharsets.US_ASCII);
        reply.writeShort(0);
        ctx.writeAndFlush(reply);
    }

    /** Called by {@link Transfers#activate} from any thread: starts relaying to {@code other}. */
    void relayTo(Channel other, Transfers.Transfer pair) {
        Channel self = context.channel();
        self.eventLoop().execute(() -> {
            if (state != State.WAITING) {
                return;
            }
            peer = other;
            transfer = pair;
            state = State.RELAY;
            ChannelHandlerContext ctx = context;
            long idle = idleTimeout.toMillis();
            self.pipeline().addBefore(ctx.name(), "idle", new IdleStateHandler(0, 0, idle, TimeUnit.MILLISECONDS));
            self.config().setAutoRead(true); // reading may have been held back until now (channelRead)
            if (pending.isReadable()) {
                forward(ctx, pending.readRetainedSlice(pending.readableBytes()));
            }
            // The other side may have paused its reading on this channel's writability before this one relayed, when
            // writability events here were not yet passed on: resume it if this channel can take more now.
            resumePeerIfWritable(self);
        });
    }

    /**
     * Writes to the other connection; while it cannot take more (over its write buffer's high water mark) this one is
     * not read from, so nothing piles up in memory.
     */
    private void forward(ChannelHandlerContext ctx, ByteBuf bytes) {
        if (!transfer.count(bytes.readableBytes())) {
            bytes.release();
            closeNow(ctx);
            peer.close();
            return;
        }
        peer.writeAndFlush(bytes);
        if (!peer.isWritable()) {
            ctx.channel().config().setAutoRead(false);
            // The peer's writability event runs on the peer's event loop: had it drained (and resumed this channel)
            // between the check above and the pause, nothing would resume reading, and the transfer would stall.
            if (peer.isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state == State.RELAY) {
            resumePeerIfWritable(ctx.channel());
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void resumePeerIfWritable(Channel self) {
        if (self.isWritable() && !peer.config().isAutoRead()) {
            peer.config().setAutoRead(true);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            closeNow(ctx);
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        if (hash != null) {
            transfers.left(hash, ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        pending.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeNow(ctx);
    }

    private void refuseMethods(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {VERSION, NO_ACCEPTABLE_METHODS}))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** RFC 1928 §6: a reply with the failure code and an empty IPv4 address, then close. */
    private void fail(ChannelHandlerContext ctx, byte reply) {
        state = State.CLOSED;
        ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {VERSION, reply, 0, 1, 0, 0, 0, 0, 0, 0}))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void closeNow(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        ctx.close();
    }
}
