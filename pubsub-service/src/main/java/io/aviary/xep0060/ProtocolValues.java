package io.aviary.xep0060;

import java.util.Locale;
import java.util.Optional;

/** XEP-0060's enumerated values (affiliations, access models, …) are the lower-case names of this package's enums. */
final class ProtocolValues {

    private ProtocolValues() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> Optional<E> parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(value)) {
                return Optional.of(constant);
            }
        }
        return Optional.empty();
    }
}
