package cn.qxqy.pipeline.eventstore;

import cn.qxqy.pipeline.testing.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * An acknowledged event survives a crash: the database commits synchronously, and the service's own connections ask
 * for it themselves, so that a server, database or role default of {@code off} does not reach its appends.
 */
@QuarkusTest
class DurableCommitsTest {

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int poolSize;

    @Test
    void theDatabaseCommitsSynchronously() {
        assertEquals("on", Api.sqlValue("SHOW synchronous_commit"));
    }

    @Test
    void theServicesConnectionsCommitSynchronouslyWhateverTheDatabaseDefault() throws Exception {
        String database = Api.sqlValue("SELECT current_database()");
        Api.sql("ALTER DATABASE " + database + " SET synchronous_commit = off");
        List<SqlConnection> held = new ArrayList<>();
        try {
            assertEquals("off", Api.sqlValue("SHOW synchronous_commit"), "a new plain connection takes the default");

            // Every connection of the pool, whenever it was opened...
            List<Integer> pids = new ArrayList<>();
            for (int i = 0; i < poolSize; i++) {
                SqlConnection connection = pool.getConnectionAndAwait();
                held.add(connection);
                assertEquals("on", setting(connection));
                pids.add(pid(connection));
            }
            // ...and one it opens now, after the default changed: end one of ours, the pool replaces it.
            SqlConnection ended = held.get(0);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            ended.closeHandler(() -> closed.complete(null));
            Api.sql("SELECT pg_terminate_backend(" + pids.get(0) + ")");
            closed.get(10, TimeUnit.SECONDS);
            SqlConnection opened = pool.getConnectionAndAwait();
            held.add(opened);
            assertFalse(pids.contains(pid(opened)), "the pool handed out a connection it already had");
            assertEquals("on", setting(opened));
            assertEquals("client", opened.query("SELECT source FROM pg_settings WHERE name = 'synchronous_commit'")
                    .executeAndAwait().iterator().next().getString(0), "set by the connection itself");
        } finally {
            try {
                Api.sql("ALTER DATABASE " + database + " RESET synchronous_commit");
            } finally {
                held.forEach(SqlConnection::closeAndForget);
            }
        }
    }

    private static String setting(SqlConnection connection) {
        return connection.query("SHOW synchronous_commit").executeAndAwait().iterator().next().getString(0);
    }

    private static int pid(SqlConnection connection) {
        return connection.query("SELECT pg_backend_pid()").executeAndAwait().iterator().next().getInteger(0);
    }
}
