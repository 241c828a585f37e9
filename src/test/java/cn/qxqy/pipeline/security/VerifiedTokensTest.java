package cn.qxqy.pipeline.security;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a verified bearer token is taken for on its next requests, and when it must be verified again. */
class VerifiedTokensTest {

    private final VerifiedTokens verified = new VerifiedTokens();

    @Test
    void aTokenAcceptedOnceIsTheSameIdentityOnItsNextRequestInThatRequestsContext() {
        JsonWebToken token = token("token-of-xingxian", Instant.now().getEpochSecond() + 300);
        RoutingContext first = routing();
        verified.remember(token, identity(token, first));

        RoutingContext next = routing();
        SecurityIdentity again = verified.authenticate(request("token-of-xingxian", next), null).await().indefinitely();

        assertThat(again.getPrincipal()).isSameAs(token);
        assertThat(again.getRoles()).containsExactly("department");
        assertThat(again.<String>getAttribute("tenant-id")).isEqualTo("Default");
        assertThat(HttpSecurityUtils.getRoutingContextAttribute(again)).isSameAs(next);
    }

    @Test
    void anotherTokenIsLeftToQuarkusOidc() {
        JsonWebToken token = token("token-of-xingxian", Instant.now().getEpochSecond() + 300);
        verified.remember(token, identity(token, routing()));

        assertThat(verified.authenticate(request("token-of-xingxian-altered", routing()), null).await().indefinitely())
                .isNull();
        assertThat(verified.authenticate(new TokenAuthenticationRequest(new TokenCredential("token-of-xingxian", "id")),
                null).await().indefinitely()).isNull();
    }

    @Test
    void anExpiredTokenIsVerifiedAgain() {
        JsonWebToken token = token("token-of-xingxian", Instant.now().getEpochSecond() - 1);
        verified.remember(token, identity(token, routing()));

        assertThat(verified.authenticate(request("token-of-xingxian", routing()), null).await().indefinitely()).isNull();
    }

    @Test
    void noMoreThanTheMaximumOfTokensIsKept() {
        long exp = Instant.now().getEpochSecond() + 300;
        for (int i = 0; i <= VerifiedTokens.MAX_TOKENS; i++) {
            JsonWebToken token = token("token-" + i, exp);
            verified.remember(token, identity(token, routing()));
        }

        assertThat(verified.authenticate(request("token-0", routing()), null).await().indefinitely()).isNotNull();
        assertThat(verified.authenticate(request("token-" + VerifiedTokens.MAX_TOKENS, routing()), null)
                .await().indefinitely()).isNull();
    }

    private static JsonWebToken token(String raw, long exp) {
        JwtClaims claims = new JwtClaims();
        claims.setSubject("xingxian-fgj");
        claims.setExpirationTime(NumericDate.fromSeconds(exp));
        claims.setClaim("raw_token", raw);
        return new DefaultJWTCallerPrincipal(claims);
    }

    private static SecurityIdentity identity(JsonWebToken token, RoutingContext routing) {
        return QuarkusSecurityIdentity.builder().setPrincipal(token).addRole("department")
                .addCredential(new AccessTokenCredential(token.getRawToken()))
                .addAttribute("tenant-id", "Default")
                .addAttribute(RoutingContext.class.getName(), routing)
                .build();
    }

    private static TokenAuthenticationRequest request(String raw, RoutingContext routing) {
        TokenAuthenticationRequest request = new TokenAuthenticationRequest(new AccessTokenCredential(raw));
        HttpSecurityUtils.setRoutingContextAttribute(request, routing);
        return request;
    }

    /** A request's routing context, of which only its identity matters here. */
    private static RoutingContext routing() {
        return (RoutingContext) Proxy.newProxyInstance(RoutingContext.class.getClassLoader(),
                new Class<?>[]{RoutingContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> null;
                });
    }
}
