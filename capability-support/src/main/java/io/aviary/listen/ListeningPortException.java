package io.aviary.listen;

/** A listener could not open its port: the port, its setting, and the innermost cause the system gave. */
public final class ListeningPortException extends RuntimeException {

    private final transient ListeningPort port;

    ListeningPortException(ListeningPort port, Throwable cause) {
        super("cannot listen on " + port.address() + " (" + port.setting() + "): " + reason(cause), cause);
        this.port = port;
    }

    public ListeningPort port() {
        return port;
    }

    /** What the system said, such as "Address already in use", without the wrappers' words around it. */
    public String reason() {
        return reason(getCause());
    }

    private static String reason(Throwable cause) {
        Throwable innermost = cause;
        while (innermost.getCause() != null && innermost.getCause() != innermost) {
            innermost = innermost.getCause();
        }
        return innermost.getMessage() != null ? innermost.getMessage() : innermost.getClass().getSimpleName();
    }
}
