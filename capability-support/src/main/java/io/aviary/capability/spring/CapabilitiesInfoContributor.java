package io.aviary.capability.spring;

import io.aviary.capability.CapabilityCatalogue;
import io.aviary.capability.Declaration;
import io.aviary.capability.SpecificationTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/** Lists the server's capabilities and the supported-specifications table under {@code /actuator/info}. */
final class CapabilitiesInfoContributor implements InfoContributor {

    private final CapabilityCatalogue catalogue;

    CapabilitiesInfoContributor(CapabilityCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @Override
    public void contribute(Info.Builder builder) {
        List<Declaration> declarations = catalogue.declarations();
        builder.withDetail("capabilities", declarations.stream().map(d -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", d.name());
            c.put("summary", d.summary());
            c.put("iq", d.iqNamespaces().stream().sorted().toList());
            c.put("features", d.discoFeatures().stream().sorted().toList());
            c.put("listensTo", d.listensTo().stream().sorted().toList());
            c.put("emits", d.emits().stream().sorted().toList());
            c.put("stores", d.stores().stream().sorted().toList());
            return c;
        }).toList());
        builder.withDetail("specifications", SpecificationTable.rows(declarations).stream().map(r -> Map.of(
                "specification", r.specification().id(), "title", r.specification().title(), "version", r.specification().version(),
                "status", r.specification().status().name().toLowerCase(), "capability", r.capability(),
                "note", r.specification().note())).toList());
    }
}
