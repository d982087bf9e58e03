package io.aviary.bench.jmh;

import io.aviary.session.InMemorySessionRegistry;
import io.aviary.session.SessionRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Session lookups in the in-process registry (standalone app). */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RegistryBenchmark extends RegistryLookups {

    @Override
    protected SessionRegistry open() {
        return new InMemorySessionRegistry();
    }
}
