package cn.qxqy.pipeline.dashboard;

import cn.qxqy.pipeline.PipelineConfig;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Optional;

/**
 * How the dashboard signs its user in: at the city's identity provider (authorization code with PKCE, as a public
 * client; the service stays a resource server that only verifies bearer tokens), and with the local accounts where
 * they exist (the local run, the tests).
 */
@Path("/dashboard/sign-in")
@PermitAll
@Tag(name = "Dashboard", description = "What the dashboard (领导驾驶舱) reads before its user signs in")
public class DashboardSignIn {

    @Schema(name = "DashboardSignIn", description = "Where the dashboard signs its user in")
    public record SignIn(@Schema(nullable = true, description = "the OIDC issuer, if bearer tokens are on") String issuer,
                         @Schema(description = "the dashboard's public OAuth client at the issuer") String clientId,
                         @Schema(description = "whether local accounts (HTTP Basic) exist") boolean localAccounts) {
    }

    private final SignIn signIn;

    public DashboardSignIn(PipelineConfig config,
                           @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> issuer,
                           @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidc,
                           @ConfigProperty(name = "quarkus.security.users.embedded.enabled", defaultValue = "false")
                           boolean localAccounts) {
        this.signIn = new SignIn(oidc ? issuer.orElse(null) : null, config.dashboard().clientId(), localAccounts);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getDashboardSignIn", summary = "How the dashboard signs its user in",
            description = "Public: the dashboard reads it before anyone signs in.")
    public SignIn get() {
        return signIn;
    }
}
