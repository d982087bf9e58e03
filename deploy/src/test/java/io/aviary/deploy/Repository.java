package io.aviary.deploy;

import java.nio.file.Path;

/** Where the deployment files live: the repository root and this module's directory. */
final class Repository {

    private Repository() {
    }

    /** This module's directory; Surefire sets {@code basedir}, an IDE usually runs tests from there. */
    static Path deployModule() {
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    }

    static Path root() {
        return deployModule().getParent();
    }

    static Path kubernetes(String directory) {
        return deployModule().resolve("kubernetes").resolve(directory);
    }
}
