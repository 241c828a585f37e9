package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.PipelineConfig;
import cn.qxqy.pipeline.domain.Wording;
import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.eventstore.Author;
import cn.qxqy.pipeline.problem.Problem;
import cn.qxqy.pipeline.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.Principal;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns whoever is signed in into a {@link Sender}. A bearer token names its department and regions in claims
 * ({@code pipeline.security.*}, checked by {@link TokenClaims}); a local account or a Kafka intake topic is a
 * department by name, with its regions in {@code pipeline.departments.<name>.regions}.
 */
@ApplicationScoped
public class Senders {

    /** A request id worth keeping: what proxies and clients send, not arbitrary text. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");

    private final PipelineConfig config;

    public Senders(PipelineConfig config) {
        this.config = config;
    }

    /** The sender of an HTTP request; {@code requestId} is the request's X-Request-Id, if any. */
    public Sender ofRequest(SecurityContext security, String requestId) {
        String id = requestId != null && REQUEST_ID.matcher(requestId).matches() ? requestId : UUID.randomUUID().toString();
        Principal principal = security.getUserPrincipal();
        if (principal instanceof JsonWebToken token) {
            String department = text(token.getClaim(config.security().departmentClaim()));
            if (department == null || department.isBlank()) {
                throw Problem.of(ProblemType.FORBIDDEN,
                        Wording.of("auth.no-department", config.security().departmentClaim())).exception();
            }
            List<String> regions = regions(token.getClaim(config.security().regionsClaim()));
            return new Sender(new Author(department, token.getSubject(), text(token.getClaim("azp")), "http", id),
                    new Writer(department, regions));
        }
        String name = principal.getName();
        return new Sender(new Author(name, name, null, "http", id), new Writer(name, regionsOf(name)));
    }

    /** The sender of a record on a department's own intake topic. */
    public Sender ofIntake(String department, String recordId) {
        return new Sender(new Author(department, null, null, "kafka", recordId),
                new Writer(department, regionsOf(department)));
    }

    private List<String> regionsOf(String department) {
        PipelineConfig.Department known = config.departments().get(department);
        return known == null ? List.of() : known.regions().orElse(List.of());
    }

    private static String text(Object claim) {
        if (claim instanceof JsonString json) {
            return json.getString();
        }
        return claim == null ? null : claim.toString();
    }

    /**
     * The token's region codes: a JSON list of them, as {@link TokenClaims} let through, or none without the claim.
     * Nothing else is read as codes: a string of several would be a guess at what the issuer meant.
     */
    private static List<String> regions(Object claim) {
        return claim == null ? List.of() : ((JsonArray) claim).getValuesAs(JsonString::getString);
    }
}
