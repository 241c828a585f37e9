package cn.qxqy.pipeline.security;

import cn.qxqy.pipeline.PipelineConfig;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Turns whoever is signed in into a {@link Sender}. A bearer token names its department and regions in claims
 * ({@code pipeline.security.*}); a local account or a Kafka intake topic is a department by name, with its regions
 * in {@code pipeline.departments.<name>.regions}.
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
                throw Problem.of(ProblemType.FORBIDDEN, "the token names no department (claim "
                        + config.security().departmentClaim() + ")").exception();
            }
            List<String> regions = list(token.getClaim(config.security().regionsClaim()));
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

    /** A JSON array of codes, or one string of codes separated by spaces or commas (what some issuers map). */
    private static List<String> list(Object claim) {
        List<String> codes = new ArrayList<>();
        if (claim instanceof JsonArray array) {
            array.forEach(value -> codes.add(text(value)));
        } else if (claim instanceof Iterable<?> values) {
            values.forEach(value -> codes.add(text(value)));
        } else if (claim != null) {
            codes.addAll(Arrays.stream(text(claim).split("[\\s,]+")).filter(code -> !code.isEmpty()).toList());
        }
        return codes;
    }
}
