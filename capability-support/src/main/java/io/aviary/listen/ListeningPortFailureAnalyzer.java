package io.aviary.listen;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a listener's failed bind into Spring Boot's short start-failure report (what happened, what to do) in place
 * of the stack trace, which then appears only with debug logging.
 */
public final class ListeningPortFailureAnalyzer extends AbstractFailureAnalyzer<ListeningPortException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ListeningPortException cause) {
        ListeningPort port = cause.port();
        String description = "Aviary could not listen on %s (set by %s): %s."
                .formatted(port.address(), port.setting(), cause.reason());
        String action = ("If another process holds port %d (`ss -ltnp 'sport = :%d'` names it), stop it or set %s to a"
                + " free port. If the address is not one of this machine's, change the listener's bind address.")
                .formatted(port.port(), port.port(), port.setting());
        return new FailureAnalysis(description, action, cause);
    }
}
