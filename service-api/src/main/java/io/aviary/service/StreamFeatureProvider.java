package io.aviary.service;

import io.aviary.xmpp.xml.XmlElement;
import java.util.List;

/**
 * Stream features a capability adds to {@code <stream:features/>} after authentication (for
 * example roster versioning, XEP-0237, or entity capabilities, XEP-0115).
 */
public interface StreamFeatureProvider {

    List<XmlElement> streamFeatures();
}
