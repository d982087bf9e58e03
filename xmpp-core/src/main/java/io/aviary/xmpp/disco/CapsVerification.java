package io.aviary.xmpp.disco;

import io.aviary.xmpp.xml.XmlElement;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The XEP-0115 §5 verification string of another entity's disco#info result, to check the {@code ver} of a caps
 * {@code <c/>} before its features are trusted and cached (§5.4). Unlike {@link DiscoInfo#capsVerification()} it
 * covers every part of the algorithm: {@code xml:lang} of identities and extended information (XEP-0128 forms).
 */
public final class CapsVerification {

    private static final String DATA_FORMS = "jabber:x:data";
    private static final String FORM_TYPE = "FORM_TYPE";

    /** The hash functions of the IANA registry XEP-0115 §5.1 names, by their names there. */
    private static final Map<String, String> ALGORITHMS = Map.of("sha-1", "SHA-1", "sha-224", "SHA-224",
            "sha-256", "SHA-256", "sha-384", "SHA-384", "sha-512", "SHA-512", "md5", "MD5");

    private CapsVerification() {
    }

    /** Whether {@code hash} names a hash function this implementation can check. */
    public static boolean supports(String hash) {
        return hash != null && ALGORITHMS.containsKey(hash);
    }

    /** Whether {@code query} (a disco#info {@code <query/>}) hashes to {@code ver} with {@code hash}. */
    public static boolean verifies(XmlElement query, String hash, String ver) {
        return ver != null && verificationString(query, hash).map(ver::equals).orElse(false);
    }

    /**
     * The verification string of a disco#info {@code <query/>}, or empty when the hash function is unknown or the
     * result is one §5.4 calls invalid: two identities with the same category/type/lang/name, two features with the
     * same var, two extended forms with the same FORM_TYPE, or a FORM_TYPE with differing values. Forms without a
     * hidden FORM_TYPE are left out, as §5.4 says.
     */
    public static Optional<String> verificationString(XmlElement query, String hash) {
        String algorithm = hash == null ? null : ALGORITHMS.get(hash);
        if (algorithm == null) {
            return Optional.empty();
        }
        List<Identity> identities = new ArrayList<>();
        List<String> features = new ArrayList<>();
        List<Form> forms = new ArrayList<>();
        for (XmlElement child : query.elements().toList()) {
            if (child.is("identity", DiscoInfo.INFO)) {
                identities.add(new Identity(nonNull(child.attributeOrNull("category")),
                        nonNull(child.attributeOrNull("type")), nonNull(child.attributeOrNull(XmlElement.XML_LANG)),
                        nonNull(child.attributeOrNull("name"))));
            } else if (child.is("feature", DiscoInfo.INFO)) {
                features.add(nonNull(child.attributeOrNull("var")));
            } else if (child.is("x", DATA_FORMS)) {
                Optional<Form> form = Form.of(child);
                if (form.isEmpty()) {
                    return Optional.empty();
                }
                form.filter(f -> f.type() != null).ifPresent(forms::add);
            }
        }
        if (duplicates(identities.stream().map(Identity::text).toList()) || duplicates(features) || duplicates(forms.stream().map(Form::type).toList())) {
            return Optional.empty();
        }
        StringBuilder s = new StringBuilder();
        // §5.1 steps 2-5: identities sorted by category, type, xml:lang and name, each as category/type/lang/name.
        identities.stream().sorted(Identity.ORDER).forEach(i -> s.append(i.text()).append('<'));
        features.stream().sorted().forEach(f -> s.append(f).append('<'));
        // Steps 6-8: forms by FORM_TYPE, each with its fields sorted by var and each field's values sorted.
        forms.stream().sorted(Comparator.comparing(Form::type)).forEach(form -> {
            s.append(form.type()).append('<');
            form.fields().stream().sorted(Comparator.comparing(Field::var)).forEach(field -> {
                s.append(field.var()).append('<');
                field.values().stream().sorted().forEach(v -> s.append(v).append('<'));
            });
        });
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return Optional.of(Base64.getEncoder().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            return Optional.empty();
        }
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }

    private static boolean duplicates(List<String> values) {
        Set<String> seen = new HashSet<>();
        return !values.stream().allMatch(seen::add);
    }

    private record Identity(String category, String type, String lang, String name) {
        static final Comparator<Identity> ORDER = Comparator.comparing(Identity::category).thenComparing(Identity::type)
                .thenComparing(Identity::lang).thenComparing(Identity::name);

        String text() {
            return category + "/" + type + "/" + lang + "/" + name;
        }
    }

    private record Field(String var, List<String> values) {
    }

    /** An extended form; {@code type} null for a form without FORM_TYPE, which §5.1 step 6 leaves out. */
    private record Form(String type, List<Field> fields) {

        /**
         * Empty when the form makes the result invalid (§5.4: a FORM_TYPE with differing values); a form whose
         * FORM_TYPE is not hidden, or that has none, is ignored (type null).
         */
        static Optional<Form> of(XmlElement x) {
            String type = null;
            List<Field> fields = new ArrayList<>();
            for (XmlElement field : x.elements().filter(e -> e.is("field", DATA_FORMS)).toList()) {
                List<String> values = field.elements().filter(v -> v.is("value", DATA_FORMS)).map(XmlElement::text)
                        .toList();
                if (FORM_TYPE.equals(field.attributeOrNull("var"))) {
                    if (values.stream().distinct().count() > 1) {
                        return Optional.empty();
                    }
                    if (!"hidden".equals(field.attributeOrNull("type"))) {
                        return Optional.of(new Form(null, List.of()));
                    }
                    type = values.isEmpty() ? "" : values.get(0);
                } else if (field.attributeOrNull("var") != null) {
                    fields.add(new Field(field.attributeOrNull("var"), values));
                }
            }
            return Optional.of(new Form(type, fields));
        }
    }
}
