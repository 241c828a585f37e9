package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.problem.ProblemMappers;
import cn.qxqy.pipeline.reference.ReferenceData;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Refuses a bearer token whose claims are not exactly what the service relies on, however well it is signed: a
 * mapper misconfigured at the issuer must not widen what a token may do. quarkus-oidc checks the signature, issuer,
 * audience, expiry, that {@code iat} is there and the token's age (application.properties); this checks the rest:
 * {@code iat} not in the future, a lifetime ({@code exp − iat}) no longer than
 * {@code pipeline.security.max-token-lifetime}, the roles a JSON list (quarkus-oidc would split a string into several
 * roles), and the regions a JSON list of codes of the reference data (an unknown code such as 000000 would otherwise
 * hold every region).
 */
@ApplicationScoped
public class TokenClaims implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(TokenClaims.class);

    private final PipelineConfig config;
    private final ReferenceData reference;
    private final VerifiedTokens verified;
    private final List<List<String>> rolePaths;
    private final Duration skew;

    public TokenClaims(PipelineConfig config, ReferenceData reference, VerifiedTokens verified,
                       @ConfigProperty(name = "quarkus.oidc.roles.role-claim-path") List<String> rolePaths,
                       @ConfigProperty(name = "quarkus.oidc.token.lifespan-grace", defaultValue = "0") int graceSeconds) {
        this.config = config;
        this.reference = reference;
        this.verified = verified;
        this.rolePaths = rolePaths.stream().map(TokenClaims::segments).toList();
        this.skew = Duration.ofSeconds(graceSeconds);
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        try {
            checkTimes(token);
            for (List<String> path : rolePaths) {
                Object roles = at(token, path);
                if (roles != null) {
                    strings(token, roles, Wording.of("token.roles-claim", String.join("/", path)));
                }
            }
            String regionsClaim = config.security().regionsClaim();
            Object regionsValue = at(token, List.of(regionsClaim));
            if (regionsValue == null) {
                return Uni.createFrom().item(accepted(token, identity));
            }
            List<String> regions = strings(token, regionsValue, Wording.of("token.regions-claim", regionsClaim));
            return reference.regions().map(known -> {
                List<String> unknown = regions.stream().filter(code -> !known.contains(code)).toList();
                if (!unknown.isEmpty()) {
                    throw refused(token, Wording.of("token.unknown-regions", regionsClaim, unknown));
                }
                return accepted(token, identity);
            });
        } catch (AuthenticationFailedException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /** An identity whose claims passed: its token need not be verified again until it expires. */
    private SecurityIdentity accepted(JsonWebToken token, SecurityIdentity identity) {
        verified.remember(token, identity);
        return identity;
    }

    /** Issued before now (give or take the clocks' skew), and living no longer than allowed. */
    private void checkTimes(JsonWebToken token) {
        long issuedAt = token.getIssuedAtTime();
        if (Instant.ofEpochSecond(issuedAt).isAfter(Instant.now().plus(skew))) {
            throw refused(token, Wording.of("token.issued-in-future", issuedAt));
        }
        Duration lifetime = Duration.ofSeconds(token.getExpirationTime() - issuedAt);
        Duration max = config.security().maxTokenLifetime();
        if (lifetime.compareTo(max) > 0) {
            throw refused(token, Wording.of("token.lifetime", lifetime, max));
        }
    }

    /** A JSON list of strings, and nothing else: no string of several values, no number. */
    private static List<String> strings(JsonWebToken token, Object value, Wording claim) {
        List<String> strings = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue item : array) {
                if (item instanceof JsonString string) {
                    strings.add(string.getString());
                } else {
                    throw refused(token, Wording.of("token.not-strings", claim));
                }
            }
            return strings;
        }
        throw refused(token, Wording.of("token.not-strings", claim));
    }

    /** The claim at a path of names (realm_access/roles), or null where there is none. */
    private static Object at(JsonWebToken token, List<String> path) {
        Object value = token.getClaim(path.get(0));
        for (String name : path.subList(1, path.size())) {
            value = value instanceof JsonObject object ? object.get(name) : null;
        }
        return value;
    }

    /** The names of a claim path as quarkus-oidc reads it: separated by /, a quoted name may contain one. */
    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        StringBuilder segment = new StringBuilder();
        boolean quoted = false;
        for (char c : path.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (c == '/' && !quoted) {
                segments.add(segment.toString());
                segment.setLength(0);
            } else {
                segment.append(c);
            }
        }
        segments.add(segment.toString());
        return segments;
    }

    private static AuthenticationFailedException refused(JsonWebToken token, Wording why) {
        String english = why.english();
        LOG.infof("bearer token of %s (azp %s) refused: %s", token.getSubject(), token.<Object>getClaim("azp"), english);
        return new AuthenticationFailedException(english, Map.of(ProblemMappers.UNAUTHORIZED_BECAUSE, why));
    }
}
