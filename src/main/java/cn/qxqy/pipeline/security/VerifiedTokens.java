package cn.qxqy.pipeline.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens that quarkus-oidc verified and {@link TokenClaims} accepted, kept until they expire: a department system
 * sends the same token with every event for the token's lifetime, and verifying it again (signature, JSON claims) was
 * the largest single cost of a single-event POST (a fifth of the service's samples, JFR, issue 27).
 * <p>
 * Only the identical token string is recognised, and only before its {@code exp}; after that quarkus-oidc verifies it
 * as any token. Every request still goes through {@link TokenClaims} and the role checks with the kept identity. A
 * token's claims cannot change, so what its verification decided holds for its lifetime; the age limit
 * ({@code quarkus.oidc.token.age}) follows from {@code exp} and the lifetime that {@link TokenClaims} bounds. A key
 * that the issuer withdraws keeps its tokens valid here until they expire (at most
 * {@code pipeline.security.max-token-lifetime}), as quarkus-oidc's own cached key set would until its next refresh.
 */
@ApplicationScoped
public class VerifiedTokens implements IdentityProvider<TokenAuthenticationRequest> {

    /** Far more tokens than departments hold at once: each holds one or two until they expire. */
    static final int MAX_TOKENS = 1_000;

    /** The attributes that belong to the request an identity was made for, not to its token. */
    private static final Set<String> PER_REQUEST = Set.of(RoutingContext.class.getName(),
            AuthenticationRequestContext.class.getName());

    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(SecurityIdentity identity, long expiresAt) {

        boolean expired() {
            return Instant.now().getEpochSecond() >= expiresAt;
        }
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /** Ahead of quarkus-oidc's provider, which has the default priority. */
    @Override
    public int priority() {
        return IdentityProvider.super.priority() + 1;
    }

    /** The kept identity of this token, for this request; none (quarkus-oidc verifies it) for any other token. */
    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        if (!(request.getToken() instanceof AccessTokenCredential credential)) {
            return Uni.createFrom().nullItem();
        }
        Verified known = verified.get(credential.getToken());
        if (known == null) {
            return Uni.createFrom().nullItem();
        }
        if (known.expired()) {
            verified.remove(credential.getToken(), known);
            return Uni.createFrom().nullItem();
        }
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder(known.identity());
        RoutingContext routing = HttpSecurityUtils.getRoutingContextAttribute(request);
        if (routing != null) {
            identity.addAttribute(RoutingContext.class.getName(), routing);
            Object blocking = routing.get(AuthenticationRequestContext.class.getName());
            if (blocking != null) {
                identity.addAttribute(AuthenticationRequestContext.class.getName(), blocking);
            }
        }
        return Uni.createFrom().item(identity.build());
    }

    /**
     * Keeps an identity made by quarkus-oidc from a bearer token and accepted by {@link TokenClaims}, without what
     * belongs to its request. The application checks roles only: the identity is kept without permission checkers.
     */
    void remember(JsonWebToken token, SecurityIdentity identity) {
        String raw = token.getRawToken();
        // Only a token that came as a bearer token is recognised as one.
        AccessTokenCredential bearer = identity.getCredential(AccessTokenCredential.class);
        if (raw == null || bearer == null || !raw.equals(bearer.getToken()) || verified.containsKey(raw)) {
            return;
        }
        if (verified.size() >= MAX_TOKENS) {
            verified.values().removeIf(Verified::expired);
            if (verified.size() >= MAX_TOKENS) {
                return;
            }
        }
        Map<String, Object> attributes = new HashMap<>(identity.getAttributes());
        attributes.keySet().removeAll(PER_REQUEST);
        verified.put(raw, new Verified(QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .addAttributes(attributes)
                .build(), token.getExpirationTime()));
    }
}
