package io.aviary.xep0030;

import io.aviary.service.FeatureProvider;
import io.aviary.service.IqHandler;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The server's disco#info: identity {@code server/im} and exactly the features that are
 * implemented, collected from every {@link IqHandler} and {@link FeatureProvider}. Collected on
 * first use, because the disco handlers are themselves among the handlers collected.
 */
public final class ServerFeatures implements Supplier<DiscoInfo> {

    public static final String SERVER_NAME = "Aviary";

    private final Supplier<Collection<IqHandler>> handlers;
    private final Supplier<Collection<FeatureProvider>> providers;
    private volatile DiscoInfo info;

    public ServerFeatures(Supplier<Collection<IqHandler>> handlers, Supplier<Collection<FeatureProvider>> providers) {
        this.handlers = handlers;
        this.providers = providers;
    }

    @Override
    public DiscoInfo get() {
        DiscoInfo current = info;
        if (current == null) {
            Set<String> features = new TreeSet<>();
            handlers.get().forEach(h -> features.addAll(h.features()));
            providers.get().forEach(p -> features.addAll(p.discoFeatures()));
            current = new DiscoInfo(List.of(new DiscoInfo.Identity("server", "im", SERVER_NAME)), new TreeSet<>(features));
            info = current;
        }
        return current;
    }
}
