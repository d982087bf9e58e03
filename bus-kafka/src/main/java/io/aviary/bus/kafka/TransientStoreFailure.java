package io.aviary.bus.kafka;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Which failures of a handler's work came from a store that may answer if asked again: a time-out or a lost connection
 * (Spring's translation of Redis' and the databases' errors). Doing that work again is what a successor would do after
 * a crash (at least once); giving up would lose the stanza, or its archive record, for a moment's slowness of the store.
 */
public final class TransientStoreFailure {

    private TransientStoreFailure() {
    }

    /** Whether {@code failure} or one of its causes is such a failure. */
    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
                    || cause instanceof DataAccessResourceFailureException) {
                return true;
            }
        }
        return false;
    }
}
