package io.aviary.service;

import java.util.Set;

/**
 * Service discovery features (XEP-0030 {@code <feature var/>}) of a capability that are not an
 * IQ namespace, for example {@code msgoffline}. The disco handler lists these with every
 * {@link IqHandler#features()}, so the domain advertises exactly what is implemented.
 */
public interface FeatureProvider {

    Set<String> discoFeatures();
}
