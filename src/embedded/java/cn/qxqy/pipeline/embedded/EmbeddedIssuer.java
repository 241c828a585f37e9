package cn.qxqy.pipeline.embedded;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * An OpenID Connect issuer as the service sees one: its discovery document and its signing keys (JWKS), served over
 * HTTP on a free port, and tokens signed with its RSA key, the way the city's identity provider signs a department
 * system's client-credentials token. The tests and the fault tests verify the service's bearer-token security
 * against it; nothing of the security layer is replaced.
 * <p>
 * For browsers it also runs the authorization-code flow with PKCE, as the dashboard uses it: its authorization
 * endpoint signs in the user set by {@link #signInAs} at once (there is no login page) and its token endpoint
 * checks the code verifier before it answers a token of that user.
 */
public final class EmbeddedIssuer implements AutoCloseable {

    /** The audience the service expects (quarkus.oidc.token.audience). */
    public static final String AUDIENCE = "project-pipeline";

    private final HttpServer server;
    private final RsaJsonWebKey key;
    private final String url;
    /** Codes given out by the authorization endpoint: the PKCE challenge each must be redeemed with. */
    private final Map<String, String> challenges = new ConcurrentHashMap<>();
    private volatile Claims browserUser = new Claims("leader-li", "qxqy-dashboard", List.of("viewer"), null, AUDIENCE,
            Duration.ofMinutes(10));

    private EmbeddedIssuer(HttpServer server, RsaJsonWebKey key) {
        this.server = server;
        this.key = key;
        this.url = "http://localhost:" + server.getAddress().getPort() + "/realms/qxqy";
    }

    public static EmbeddedIssuer start() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId(UUID.randomUUID().toString());
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            EmbeddedIssuer issuer = new EmbeddedIssuer(server, key);
            server.createContext("/realms/qxqy/.well-known/openid-configuration", exchange -> issuer.answer(exchange,
                    issuer.discovery()));
            server.createContext("/realms/qxqy/protocol/openid-connect/certs", exchange -> issuer.answer(exchange,
                    new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
            server.createContext("/realms/qxqy/protocol/openid-connect/auth", issuer::authorize);
            server.createContext("/realms/qxqy/protocol/openid-connect/token", issuer::redeem);
            server.start();
            return issuer;
        } catch (JoseException | IOException e) {
            throw new IllegalStateException("cannot start the embedded OIDC issuer", e);
        }
    }

    /** The issuer URL, as {@code quarkus.oidc.auth-server-url} and the tokens' {@code iss} give it. */
    public String url() {
        return url;
    }

    /**
     * What a token says: its subject, its client ({@code azp}), its roles ({@code realm_access.roles}, Keycloak's
     * place), the county codes it may write for ({@code regions}), its audience, and how long it lives (negative: it
     * has expired).
     */
    public record Claims(String subject, String client, List<String> roles, List<String> regions, String audience,
                         Duration lifetime) {

        public static Claims of(String client, List<String> roles, List<String> regions) {
            return new Claims("service-account-" + client, client, roles, regions, AUDIENCE, Duration.ofMinutes(10));
        }

        public Claims audience(String other) {
            return new Claims(subject, client, roles, regions, other, lifetime);
        }

        public Claims lifetime(Duration other) {
            return new Claims(subject, client, roles, regions, audience, other);
        }
    }

    /** The user the authorization endpoint signs in (a viewer of the dashboard unless told otherwise). */
    public void signInAs(Claims user) {
        browserUser = user;
    }

    /** A token this issuer signed. */
    public String token(Claims claims) {
        return sign(claims, key, payload -> { });
    }

    /**
     * A token this issuer signed, with the claims {@code edit} makes of those {@code claims} give (iat, exp, iss, aud,
     * azp, sub, jti, realm_access, regions): for the claims a misconfigured issuer would send, such as a string where
     * a list belongs or a token that lives for years.
     */
    public String token(Claims claims, Consumer<Map<String, Object>> edit) {
        return sign(claims, key, edit);
    }

    /** A token with the same claims, signed by a key this issuer does not publish. */
    public String forgedToken(Claims claims) {
        try {
            RsaJsonWebKey other = RsaJwkGenerator.generateJwk(2048);
            other.setKeyId(key.getKeyId());
            return sign(claims, other, payload -> { });
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(Claims c, RsaJsonWebKey signingKey, Consumer<Map<String, Object>> edit) {
        JwtClaims claims = new JwtClaims();
        Instant now = Instant.now();
        claims.setIssuer(url);
        claims.setSubject(c.subject());
        claims.setAudience(c.audience());
        claims.setClaim("azp", c.client());
        Instant expires = now.plus(c.lifetime());
        Instant issued = expires.isBefore(now) ? expires.minus(Duration.ofMinutes(10)) : now.minusSeconds(60);
        claims.setIssuedAt(NumericDate.fromSeconds(issued.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        claims.setGeneratedJwtId();
        claims.setClaim("realm_access", Map.of("roles", c.roles()));
        if (c.regions() != null) {
            claims.setStringListClaim("regions", c.regions());
        }
        Map<String, Object> payload = new LinkedHashMap<>(claims.getClaimsMap());
        edit.accept(payload);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(JsonUtil.toJson(payload));
        jws.setKey(signingKey.getPrivateKey());
        jws.setKeyIdHeaderValue(signingKey.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private String discovery() {
        return """
                {"issuer": "%1$s", "jwks_uri": "%1$s/protocol/openid-connect/certs",
                 "authorization_endpoint": "%1$s/protocol/openid-connect/auth",
                 "token_endpoint": "%1$s/protocol/openid-connect/token",
                 "response_types_supported": ["code"], "subject_types_supported": ["public"],
                 "id_token_signing_alg_values_supported": ["RS256"]}""".formatted(url);
    }

    /** Signs the user in at once and sends the browser back with a code, as an issuer does after its login page. */
    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String code = UUID.randomUUID().toString();
        challenges.put(code, query.getOrDefault("code_challenge", ""));
        String back = query.get("redirect_uri") + (query.get("redirect_uri").contains("?") ? "&" : "?") + "code=" + code
                + "&state=" + URLEncoder.encode(query.getOrDefault("state", ""), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Location", back);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    /** The token endpoint of the code flow: a token for a code whose PKCE verifier matches its challenge. */
    private void redeem(HttpExchange exchange) throws IOException {
        if ("OPTIONS".equals(exchange.getRequestMethod())) {
            answer(exchange, 204, "");
            return;
        }
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String challenge = challenges.remove(form.getOrDefault("code", ""));
        if (challenge == null || !challenge.equals(s256(form.getOrDefault("code_verifier", "")))) {
            answer(exchange, 400, "{\"error\": \"invalid_grant\"}");
            return;
        }
        answer(exchange, 200, "{\"access_token\": \"" + token(browserUser) + "\", \"token_type\": \"Bearer\", "
                + "\"expires_in\": " + browserUser.lifetime().toSeconds() + "}");
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded != null) {
            for (String pair : encoded.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    private void answer(HttpExchange exchange, String json) throws IOException {
        answer(exchange, 200, json);
    }

    private void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        // A browser page of another origin (the dashboard) reads the discovery document and redeems its code here.
        exchange.getResponseHeaders().set("Access-Control-Allow-Origin", "*");
        exchange.getResponseHeaders().set("Access-Control-Allow-Headers", "Content-Type");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
