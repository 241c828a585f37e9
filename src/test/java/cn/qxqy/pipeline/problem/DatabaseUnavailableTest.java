package cn.qxqy.pipeline.problem;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures tell a client to come back later (503) rather than report a fault of ours (500). */
class DatabaseUnavailableTest {

    @Test
    void anUnreachableOrDepartingServerIsUnavailable() {
        assertThat(DatabaseUnavailable.isCause(new ConnectException("Connection refused"))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new SocketException("Connection reset"))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new java.io.IOException("Broken pipe"))).isTrue();
        assertThat(DatabaseUnavailable.isCause(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(DatabaseUnavailable.isCause(new CompletionException(new PgException(
                "terminating connection due to administrator command", "FATAL", "57P01", null)))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new PgException("the database system is starting up", "FATAL", "57P03",
                null))).isTrue();
        assertThat(DatabaseUnavailable.isCause(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
    }

    @Test
    void aRefusedStatementOrABugIsNot() {
        assertThat(DatabaseUnavailable.isCause(new PgException("duplicate key value", "ERROR", "23505", null))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new PgException("syntax error", "ERROR", "42601", null))).isFalse();
        assertThat(DatabaseUnavailable.isCause(new IllegalStateException("stream head at 0 but history at 1"))).isFalse();
    }

    @Test
    void anOutageOrAPassingRefusalIsTransientAndWorthRetrying() {
        assertThat(DatabaseUnavailable.isTransient(new ConnectException("Connection refused"))).isTrue();
        assertThat(DatabaseUnavailable.isTransient(new PgException("deadlock detected", "ERROR", "40P01", null))).isTrue();
        assertThat(DatabaseUnavailable.isTransient(new PgException("could not serialize", "ERROR", "40001", null))).isTrue();
        assertThat(DatabaseUnavailable.isTransient(new PgException("could not extend file", "ERROR", "53100", null))).isTrue();
        assertThat(DatabaseUnavailable.isTransient(new PgException("canceling statement due to statement timeout",
                "ERROR", "57014", null))).isTrue();
        assertThat(DatabaseUnavailable.isTransient(new CompletionException(
                new java.util.concurrent.TimeoutException("Timeout")))).isTrue();
        // A replica shutting down closes its pool under a batch in flight: not a poisonous event.
        assertThat(DatabaseUnavailable.isTransient(new io.vertx.core.impl.NoStackTraceThrowable("Pool closed"))).isTrue();
    }

    @Test
    void dataTheDatabaseRefusesOrAFaultOfOursFailsTheSameWayAgain() {
        assertThat(DatabaseUnavailable.isTransient(new PgException("violates check constraint", "ERROR", "23514", null)))
                .isFalse();
        assertThat(DatabaseUnavailable.isTransient(new PgException("numeric field overflow", "ERROR", "22003", null)))
                .isFalse();
        assertThat(DatabaseUnavailable.isTransient(new IllegalStateException("no stage for this event"))).isFalse();
    }
}
