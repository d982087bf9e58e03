package io.aviary.xep0313;

/** A query or page named an id that is not in the archive: XEP-0313 §6.1 {@code item-not-found}. */
public final class UnknownArchiveIdException extends RuntimeException {

    public UnknownArchiveIdException(String id) {
        super("no archived message with id " + id);
    }
}
