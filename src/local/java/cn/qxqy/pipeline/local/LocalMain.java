package cn.qxqy.pipeline.local;

import cn.qxqy.pipeline.demo.DemoCampaign;
import cn.qxqy.pipeline.embedded.EmbeddedInfrastructure;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The local run, {@code ./mvnw -Plocal quarkus:dev}: starts a Kafka broker (localhost:19092) and PostgreSQL
 * (localhost:15432, user/password postgres) inside this JVM, their data kept in {@code ./.local-data} across
 * restarts, then the application against them. Delete {@code .local-data} (with the application stopped) to start
 * from scratch.
 * <p>
 * With {@code -Ddemo} it then loads the demo campaign ({@link DemoCampaign}) as {@code fgw}, in the background: about
 * 1,070 projects of 2023-qxqy and 2024-qxqy for the dashboard and the reads. Its events are always the same, so loading it again on
 * a later start stores nothing new.
 * <p>
 * Only in the {@code local} Maven profile: this class and the embedded infrastructure are not part of the
 * production build.
 */
@QuarkusMain
public class LocalMain {

    private static final Logger LOG = Logger.getLogger(LocalMain.class);

    /**
     * Set once the infrastructure runs. A system property, because a dev-mode live reload calls {@link #main} again
     * from a new class loader (where static fields start afresh) in the same JVM. Outside {@code pipeline.}, whose
     * names are all {@link cn.qxqy.pipeline.PipelineConfig}'s.
     */
    static final String STARTED_PROPERTY = "cn.qxqy.pipeline.local.infrastructure";

    /** Set once the demo loader started in this JVM: a live reload runs {@link App#run} again, and need not load it. */
    static final String DEMO_PROPERTY = "cn.qxqy.pipeline.local.demo";

    public static void main(String... args) {
        startInfrastructureOnce();
        Quarkus.run(App.class, args);
    }

    private static void startInfrastructureOnce() {
        // Claimed atomically; never synchronize on System.getProperties() here: the broker's start-up reads them
        // from other threads (log4j's StatusLogger iterates them under that lock) and would deadlock.
        if (System.getProperties().putIfAbsent(STARTED_PROPERTY, "starting") != null) {
            LOG.debug("Embedded Kafka and PostgreSQL already running in this JVM");
            return;
        }
        try {
            EmbeddedInfrastructure infrastructure = EmbeddedInfrastructure
                    .startPersistent(Path.of(".local-data"), 19092, 19093, 15432)
                    .closeOnShutdown();
            Map<String, String> config = infrastructure.config();
            config.forEach(System::setProperty);
            System.setProperty(STARTED_PROPERTY, config.get("kafka.bootstrap.servers"));
        } catch (RuntimeException | Error e) {
            System.clearProperty(STARTED_PROPERTY);
            throw e;
        }
    }

    /** The local accounts, their roles and regions, as curl would use them. */
    static String accounts(Config config) {
        String users = "quarkus.security.users.embedded.users.";
        StringBuilder text = new StringBuilder("Local accounts (HTTP Basic, e.g. curl -u fgw:fgw-secret):");
        StreamSupport.stream(config.getPropertyNames().spliterator(), false)
                .filter(name -> name.startsWith(users)).map(name -> name.substring(users.length())).sorted()
                .forEach(user -> text.append(String.format("%n  %-28s %-11s %s", user + " / "
                                + config.getValue(users + user, String.class),
                        config.getOptionalValue("quarkus.security.users.embedded.roles." + user, String.class).orElse(""),
                        config.getOptionalValue("pipeline.departments." + user + ".regions", String.class)
                                .map(regions -> "writes for regions " + regions).orElse(""))));
        return text.toString();
    }

    public static class App implements QuarkusApplication {

        @Override
        public int run(String... args) {
            Config config = ConfigProvider.getConfig();
            int port = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
            // One message, so that the addresses and the accounts to sign in with stand together in the log.
            LOG.infof("""
                    Project pipeline is up:
                      Dashboard   http://localhost:%1$d/   领导驾驶舱: sign in with an account below (departments also import)
                      Swagger UI  http://localhost:%1$d/q/swagger-ui
                      Kafka %2$s, PostgreSQL %3$s
                    %4$s""", port, config.getOptionalValue("kafka.bootstrap.servers", String.class).orElse("?"),
                    config.getOptionalValue("quarkus.datasource.jdbc.url", String.class).orElse("?"), accounts(config));
            String demo = System.getProperty("demo");
            if (demo != null && !demo.equals("false")
                    && System.getProperties().putIfAbsent(DEMO_PROPERTY, "loading") == null) {
                URI service = URI.create("http://localhost:" + port);
                String authorization = DemoCampaign.basic("fgw:"
                        + config.getValue("quarkus.security.users.embedded.users.fgw", String.class));
                Thread loader = new Thread(() -> loadDemo(service, authorization), "demo-loader");
                loader.setDaemon(true);
                loader.start();
            }
            Quarkus.waitForExit();
            return 0;
        }

        private static void loadDemo(URI service, String authorization) {
            LOG.infof("Loading the demo campaign into %s as fgw", service);
            try {
                LOG.info(DemoCampaign.load(service, authorization));
            } catch (RuntimeException e) {
                LOG.error("Demo campaign not loaded", e);
            }
        }
    }
}
