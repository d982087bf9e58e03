package io.aviary.bus;

import java.util.function.Consumer;

/**
 * What a bus lets an observer add to every message it carries (tracing puts a W3C trace context into the headers on
 * publish and continues it around each handler). Set once on a bus, before anything publishes or subscribes.
 */
public interface BusInterceptor {

    /** Nothing added. */
    BusInterceptor NONE = new BusInterceptor() {
        @Override
        public BusMessage onPublish(String topic, String key, BusMessage message) {
            return message;
        }

        @Override
        public Consumer<BusMessage> onSubscribe(String topic, String group, Consumer<BusMessage> handler) {
            return handler;
        }
    };

    /** The message as it is to be published on {@code topic}. */
    BusMessage onPublish(String topic, String key, BusMessage message);

    /** The handler a subscription of {@code group} to {@code topic} is to call. */
    Consumer<BusMessage> onSubscribe(String topic, String group, Consumer<BusMessage> handler);
}
