package io.aviary.listen;

import java.util.function.Supplier;

/**
 * A port a listener opens, with the setting that names it. A listener binds through {@link #bind}, so that a port
 * another process holds stops the start with that setting named ({@link ListeningPortFailureAnalyzer}), not with
 * "Address already in use" many lines down a stack trace.
 *
 * @param setting the property that sets the port, such as {@code aviary.gateway.c2s-port}
 * @param host    the address it binds, as configured (blank: every address)
 * @param port    the port as configured (0: a free one)
 */
public record ListeningPort(String setting, String host, int port) {

    /** Runs {@code bind}, which opens this port; whatever makes it fail comes back as a {@link ListeningPortException}. */
    public <T> T bind(Supplier<T> bind) {
        try {
            return bind.get();
        } catch (Exception e) { // Netty rethrows a BindException unchecked, Reactor Netty wraps it
            throw new ListeningPortException(this, e);
        }
    }

    /**
     * The same, closing {@code listener} when the bind fails: event loops it started for the port would otherwise keep
     * the process from exiting after the failed start, since a bean that failed is never destroyed.
     */
    public <T> T bind(Supplier<T> bind, AutoCloseable listener) {
        try {
            return bind(bind);
        } catch (ListeningPortException e) {
            try {
                listener.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** {@code host:port} as an operator would type it. */
    public String address() {
        return (host == null || host.isBlank() ? "*" : host) + ":" + port;
    }
}
