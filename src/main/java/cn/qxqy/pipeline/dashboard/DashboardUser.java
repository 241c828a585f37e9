package cn.qxqy.pipeline.dashboard;

import cn.qxqy.pipeline.domain.Writer;
import cn.qxqy.pipeline.security.Senders;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Who is signed in, as far as the dashboard shows it: a local account's credentials say nothing of its roles, and the
 * dashboard offers the import only to departments.
 */
@Path("/dashboard/user")
@RolesAllowed({"viewer", "department", "admin"})
@Tag(name = "Dashboard")
public class DashboardUser {

    private static final List<String> ROLES = List.of("viewer", "department", "admin");

    @Schema(name = "DashboardUser", description = "The signed-in user, with the department it writes for if any")
    public record User(String name,
                       @Schema(description = "its roles among viewer, department and admin") List<String> roles,
                       @Schema(nullable = true, description = "the department it writes for (role department)")
                       String department,
                       @Schema(description = "the region codes that department may write for") List<String> regions) {
    }

    private final Senders senders;

    public DashboardUser(Senders senders) {
        this.senders = senders;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "getDashboardUser", summary = "The signed-in user, its roles and department",
            description = "What the dashboard offers depends on it: the import only to departments.")
    @APIResponse(responseCode = "200", description = "the user")
    @APIResponse(responseCode = "403", description = "/problems/forbidden: a department's token names no department")
    public User get(@Context SecurityContext security) {
        List<String> roles = ROLES.stream().filter(security::isUserInRole).toList();
        String name = security.getUserPrincipal().getName();
        if (!roles.contains("department")) {
            return new User(name, roles, null, List.of());
        }
        Writer writer = senders.ofRequest(security, null).writer();
        return new User(name, roles, writer.department(), writer.regions());
    }
}
