package io.aviary.capability;

import java.util.List;

/**
 * The declarations of every capability the whole server runs, whichever process runs it: in a cluster the
 * gateway advertises the roster service's stream features and the roster service answers disco#info with the
 * gateway's features, so each process publishes its own and reads everyone's. In-process in the standalone app,
 * on Redis in a cluster.
 */
public interface CapabilityCatalogue {

    /** Publishes what a service (a tier: {@code gateway}, {@code roster}, ...) runs, replacing what it published before. */
    void publish(String service, List<Declaration> declarations);

    /**
     * Every published declaration, one per capability name, ordered by name: the same list instance until the
     * declarations change, so that a reader on a hot path (the router, for every stanza) tells a change by identity.
     */
    List<Declaration> declarations();

    /** Whether some capability of the server is served on {@code topic} (the archive topic: the server archives). */
    default boolean serves(String topic) {
        return declarations().stream().anyMatch(declaration -> declaration.topic().equals(topic));
    }
}
