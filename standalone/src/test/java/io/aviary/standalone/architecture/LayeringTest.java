package io.aviary.standalone.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The layering of style.md, checked on the compiled classes of every module: the protocol core and the SPI know no
 * framework, capabilities don't reach into each other, the gateway knows no state service. (That the gateway and
 * router modules do not even depend on the state-service modules is checked in their own tests.)
 */
class LayeringTest {

    private static final JavaClasses AVIARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.aviary");

    @Test
    void theProtocolCoreUsesNoFrameworkBusOrStore() {
        noClasses().that().resideInAPackage("io.aviary.xmpp..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "io.lettuce..", "redis..", "reactor..", "io.netty..", "java.sql..", "javax.sql..")
                .because("xmpp-core is the protocol alone (design.md)").check(AVIARY);
    }

    @Test
    void theServiceContractsAndTheCapabilitySpiUseNoSpring() {
        noClasses().that().resideInAnyPackage("io.aviary.capability", "io.aviary.service", "io.aviary.bus")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "org.apache.kafka..",
                        "io.lettuce..")
                .because("service-api is the contract every tier and every plugin shares, with no framework")
                .check(AVIARY);
    }

    @Test
    void capabilitiesDoNotImportEachOther() {
        slices().assignedFrom(new Capabilities()).should().notDependOnEachOther()
                .because("capabilities meet through named events and service-api contracts, not each other's classes")
                .check(AVIARY);
    }

    @Test
    void theGatewayKnowsNoStateServiceNorTheRouter() {
        noClasses().that().resideInAPackage("io.aviary.gateway..")
                .should().dependOnClassesThat().resideInAnyPackage("io.aviary.roster..", "io.aviary.presence..",
                        "io.aviary.offline..", "io.aviary.router..", "io.aviary.xep0012..", "io.aviary.xep0030..",
                        "io.aviary.xep0049..", "io.aviary.xep0054..", "io.aviary.xep0077..", "io.aviary.xep0092..",
                        "io.aviary.xep0115..", "io.aviary.xep0191..", "io.aviary.xep0199..")
                .check(AVIARY);
    }

    /**
     * One slice per capability: the package named for its specification ({@code io.aviary.xep0199}), and the RFC 6121
     * capability's {@code roster} and {@code presence} packages together, and so XEP-0060's and XEP-0163's, and XEP-0191's
     * and XEP-0377's;
     * {@code io.aviary.roster}'s service wiring (the application, the schema, the service-topic consumer) belongs to no
     * capability.
     */
    private static final class Capabilities implements SliceAssignment {

        private static final Pattern XEP = Pattern.compile("io\\.aviary\\.(xep\\d{4})(\\..*)?");

        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            Matcher xep = XEP.matcher(name);
            if (xep.matches()) {
                // PEP (XEP-0163) is XEP-0060 on an account's JID: the two share one store and one protocol library.
                // Spam reports (XEP-0377) are an extension of the blocking command (XEP-0191), sent inside its items.
                // XEP-0133 service administration is a set of XEP-0050 commands: it runs on that engine.
                return SliceIdentifier.of(switch (xep.group(1)) {
                    case "xep0163" -> "xep0060";
                    case "xep0377" -> "xep0191";
                    case "xep0133" -> "xep0050";
                    default -> xep.group(1);
                });
            }
            String simple = javaClass.getSimpleName();
            if (name.equals("io.aviary.roster") && (simple.startsWith("RosterService") || simple.startsWith("ServerRequests"))) {
                return SliceIdentifier.ignore();
            }
            if (name.startsWith("io.aviary.roster") || name.startsWith("io.aviary.presence")) {
                return SliceIdentifier.of("roster");
            }
            if (name.startsWith("io.aviary.offline")) {
                return SliceIdentifier.of("offline");
            }
            return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "capability packages";
        }
    }
}
