package cn.qxqy.pipeline.testing;

import cn.qxqy.pipeline.embedded.EmbeddedInfrastructure;
import cn.qxqy.pipeline.embedded.EmbeddedIssuer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

import java.util.HashMap;
import java.util.Map;

/**
 * A real Kafka broker, a real PostgreSQL and an OIDC issuer for the {@code @QuarkusTest}s: started once, before the first
 * Quarkus test, on free ports with throw-away data, shared by all Quarkus tests and stopped at the end of the run.
 * <p>
 * The {@code GLOBAL} {@link WithTestResource} below applies it to every {@code @QuarkusTest} of the module (Quarkus
 * discovers test resource annotations on any class of the test sources): test classes need no annotation of their own.
 * Should a test class repeat it, it must repeat it exactly, {@code scope} included.
 */
@WithTestResource(value = PipelineInfrastructure.class, scope = TestResourceScope.GLOBAL)
public class PipelineInfrastructure implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedIssuer issuer;
    private EmbeddedInfrastructure infrastructure;

    /** The OIDC issuer whose tokens the service under test accepts. */
    public static EmbeddedIssuer issuer() {
        return issuer;
    }

    @Override
    public Map<String, String> start() {
        // The shutdown hook stops PostgreSQL (a separate process) even if the run is interrupted.
        infrastructure = EmbeddedInfrastructure.startEphemeral().closeOnShutdown();
        issuer = EmbeddedIssuer.start();
        Map<String, String> config = new HashMap<>(infrastructure.config());
        config.put("quarkus.oidc.auth-server-url", issuer.url());
        return config;
    }

    @Override
    public void stop() {
        if (infrastructure != null) {
            infrastructure.close();
            infrastructure = null;
        }
        if (issuer != null) {
            issuer.close();
            issuer = null;
        }
    }
}
