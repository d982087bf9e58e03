package io.aviary.gateway.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

/** Puts a client stream's own handlers into the pipeline of a Reactor Netty connection. */
public final class ReactorPipeline {

    private ReactorPipeline() {
    }

    /**
     * Where {@code Connection.addHandlerLast} puts a handler, before Reactor Netty's own last handlers, but without
     * its subscription to the connection's end that removes the handler again: about 1 KB a connection that a
     * server's client connections, never reused (a WebSocket's HTTP connection ends with it), do not need.
     */
    public static void addBeforeReactorHandlers(Channel channel, String name, ChannelHandler handler) {
        ChannelPipeline pipeline = channel.pipeline();
        String reactorHandler = pipeline.names().stream().filter(n -> n.startsWith(NettyPipeline.RIGHT))
                .findFirst().orElse(null);
        if (reactorHandler == null) {
            pipeline.addLast(name, handler);
        } else {
            pipeline.addBefore(reactorHandler, name, handler);
        }
    }
}
