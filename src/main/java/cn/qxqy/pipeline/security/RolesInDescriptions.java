package cn.qxqy.pipeline.security;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Quarkus lists an operation's {@code @RolesAllowed} as the scopes of its security requirement, which OpenAPI allows
 * for OAuth2 and OpenID Connect schemes only: the service's are HTTP (bearer, or Basic in the local run), whose
 * requirements must name no scope. The roles go into the operation's description instead.
 */
@OpenApiFilter
public class RolesInDescriptions implements OASFilter {

    private Map<String, SecurityScheme> schemes = Map.of();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSecuritySchemes() == null
                || openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        schemes = openAPI.getComponents().getSecuritySchemes();
        openAPI.getPaths().getPathItems().values().forEach(item -> {
            if (item.getOperations() != null) {
                item.getOperations().values().forEach(this::moveRoles);
            }
        });
    }

    private void moveRoles(Operation operation) {
        if (operation.getSecurity() == null) {
            return;
        }
        List<String> roles = new ArrayList<>();
        for (SecurityRequirement requirement : operation.getSecurity()) {
            Map<String, List<String>> required = new LinkedHashMap<>();
            requirement.getSchemes().forEach((name, scopes) -> {
                SecurityScheme scheme = schemes.get(name);
                boolean http = scheme != null && scheme.getType() == SecurityScheme.Type.HTTP;
                if (http && scopes != null) {
                    scopes.stream().filter(role -> !roles.contains(role)).forEach(roles::add);
                }
                required.put(name, http ? List.of() : scopes);
            });
            requirement.setSchemes(required);
        }
        if (!roles.isEmpty()) {
            String said = operation.getDescription() == null ? "" : operation.getDescription().strip() + " ";
            operation.setDescription(said + "Roles: " + String.join(", ", roles) + ".");
        }
    }
}
