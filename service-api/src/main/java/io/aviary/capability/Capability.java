package io.aviary.capability;

/**
 * One capability of the server (Prosody's module, ejabberd's {@code gen_mod}): what it declares and what it
 * registers. A capability of Aviary's own is a bean of its package's auto-configuration; a plugin's is found by
 * {@link java.util.ServiceLoader} in a jar of the plugins directory and has a public no-argument constructor.
 * Whatever it registers must be in its {@link #declaration()}; the {@link CapabilityRegistry} refuses the rest.
 */
public interface Capability {

    Declaration declaration();

    /** Registers the capability's handlers and listeners; called once, when the server starts. */
    void register(Registrar registrar);

    /** A capability whose declaration is all there is to it, or whose registrations are given as a function. */
    static Capability of(Declaration declaration, java.util.function.Consumer<Registrar> registrations) {
        return new Capability() {
            @Override
            public Declaration declaration() {
                return declaration;
            }

            @Override
            public void register(Registrar registrar) {
                registrations.accept(registrar);
            }

            @Override
            public String toString() {
                return "capability " + declaration.name();
            }
        };
    }
}
