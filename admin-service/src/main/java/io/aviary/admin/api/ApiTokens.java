package io.aviary.admin.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API tokens: {@code aviary_<id>_<secret>}, the secret 32 random bytes; only the SHA-256 of the whole token is stored
 * (with that much entropy neither salt nor stretching adds anything), so the token is shown once, when created.
 */
public final class ApiTokens {

    /** A stored token without its secret. */
    public record Token(String id, String name, Set<Scope> scopes, String createdBy, Instant createdAt) {
    }

    /** A new token and the only time its secret is seen. */
    public record Created(Token token, String secret) {
    }

    /** Where tokens are kept, by hash. */
    public interface Store {
        void save(Token token, String hash);

        Optional<Token> byHash(String hash);

        List<Token> all();

        boolean delete(String id);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Store store;

    public ApiTokens(Store store) {
        this.store = store;
    }

    public Created create(String name, Set<Scope> scopes, String createdBy) {
        byte[] id = new byte[8];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String tokenId = HexFormat.of().formatHex(id);
        String value = "aviary_" + tokenId + "_" + base64.encodeToString(secret);
        Token token = new Token(tokenId, name, Set.copyOf(scopes), createdBy, Instant.now());
        store.save(token, hash(value));
        return new Created(token, value);
    }

    public Optional<Token> verify(String value) {
        return value == null || !value.startsWith("aviary_") ? Optional.empty() : store.byHash(hash(value));
    }

    public List<Token> all() {
        return store.all();
    }

    public boolean revoke(String id) {
        return store.delete(id);
    }

    /** The hex SHA-256 under which a secret is kept. */
    public static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String scopes(Set<Scope> scopes) {
        return scopes.stream().map(Scope::value).sorted().collect(Collectors.joining(" "));
    }

    private static Set<Scope> scopes(String text) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        Arrays.stream(text.split(" ")).map(Scope::of).flatMap(Optional::stream).forEach(scopes::add);
        return scopes;
    }

    /** In the {@code admin_api_tokens} table (accounts module migration {@code V19__admin}). */
    public static Store jdbc(DataSource dataSource) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String columns = "id, name, scopes, created_by, created_at";
        org.springframework.jdbc.core.RowMapper<Token> row = (rs, n) -> new Token(rs.getString("id"), rs.getString("name"),
                scopes(rs.getString("scopes")), rs.getString("created_by"), rs.getTimestamp("created_at").toInstant());
        return new Store() {
            @Override
            public void save(Token token, String hash) {
                jdbc.sql("INSERT INTO admin_api_tokens (id, name, hash, scopes, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)")
                        .params(token.id(), token.name(), hash, scopes(token.scopes()), token.createdBy(),
                                Timestamp.from(token.createdAt())).update();
            }

            @Override
            public Optional<Token> byHash(String hash) {
                return jdbc.sql("SELECT " + columns + " FROM admin_api_tokens WHERE hash = ?").param(hash).query(row).optional();
            }

            @Override
            public List<Token> all() {
                return jdbc.sql("SELECT " + columns + " FROM admin_api_tokens ORDER BY created_at").query(row).list();
            }

            @Override
            public boolean delete(String id) {
                return jdbc.sql("DELETE FROM admin_api_tokens WHERE id = ?").param(id).update() > 0;
            }
        };
    }

    /** In memory: a server without a database. */
    public static Store inMemory() {
        Map<String, Token> byHash = new ConcurrentHashMap<>();
        return new Store() {
            @Override
            public void save(Token token, String hash) {
                byHash.put(hash, token);
            }

            @Override
            public Optional<Token> byHash(String hash) {
                return Optional.ofNullable(byHash.get(hash));
            }

            @Override
            public List<Token> all() {
                return byHash.values().stream().sorted(java.util.Comparator.comparing(Token::createdAt)).toList();
            }

            @Override
            public boolean delete(String id) {
                return byHash.values().removeIf(t -> t.id().equals(id));
            }
        };
    }
}
