package io.aviary.gateway.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection that has not sent a whole request header within {@code aviary.gateway.http.idle-timeout}
 * of opening or of its last response. An idle-state timer would not do: it restarts with every byte, so headers
 * sent a byte at a time would hold the connection for ever. Sits after the HTTP codec, so it sees requests and
 * responses; a connection upgraded to WebSocket is no longer HTTP and no longer watched.
 */
final class RequestDeadline extends ChannelDuplexHandler {

    private final long timeoutMillis;
    private int requestsInProgress;
    private boolean upgraded;
    private ScheduledFuture<?> deadline;

    RequestDeadline(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            requestsInProgress++;
            disarm();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean interim = msg instanceof HttpResponse response
                && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (interim && ((HttpResponse) msg).status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            upgraded = true;
        } else if (!interim && msg instanceof LastHttpContent && requestsInProgress > 0 && --requestsInProgress == 0) {
            arm(ctx);
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        disarm();
        ctx.fireChannelInactive();
    }

    private void arm(ChannelHandlerContext ctx) {
        if (deadline == null && !upgraded && ctx.channel().isOpen()) {
            deadline = ctx.executor().schedule((Runnable) ctx::close, timeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
