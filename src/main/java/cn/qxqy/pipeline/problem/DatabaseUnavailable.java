package cn.qxqy.pipeline.problem;

import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Whether a failure means PostgreSQL could not be reached or is shutting down, rather than a fault in the request or
 * in the service: then the client is told to come back (503 with Retry-After), since nothing was written.
 */
public final class DatabaseUnavailable {

    /** SQLSTATEs of a server that is going away or not there yet: admin/crash shutdown, cannot connect now, too many. */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300");

    /** Lock not available, query canceled (a statement timeout). */
    private static final Set<String> PASSING = Set.of("55P03", "57014");

    private DatabaseUnavailable() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Refused, reset or broken connections (a terminated backend's socket is reset under the client; a write to
            // a server that has just shut down breaks the pipe). A request's only I/O is with the database.
            if (t instanceof IOException || t instanceof ClosedConnectionException) {
                return true;
            }
            // Class 08: connection exceptions.
            if (t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || UNAVAILABLE.contains(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether trying again later can succeed: the database is unavailable, or appends wait for an admin to
     * acknowledge a restore or the projector to catch up, or it refused for a passing reason
     * (serialization failure or deadlock, out of disk or memory, a lock or statement timeout), or the pool had no
     * connection to give. Anything else (bad data, a constraint, a fault in our code) fails the same way again.
     */
    public static boolean isTransient(Throwable failure) {
        // Appends held back after a restore of the store succeed once an admin acknowledges it; those held back while
        // the projector catches up, a second later.
        if (failure instanceof ProblemException held && (ProblemType.RECOVERY_PENDING.uri().equals(held.problem().type())
                || ProblemType.PROJECTOR_BEHIND.uri().equals(held.problem().type()))) {
            return true;
        }
        if (isCause(failure)) {
            return true;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                String state = pg.getSqlState();
                return state.startsWith("40") || state.startsWith("53") || PASSING.contains(state);
            }
            // The pool's own refusals: no connection in time, its wait queue full, or closed by a shutdown under way
            // (another replica takes the batch over).
            if (t instanceof TimeoutException || t instanceof NoStackTraceThrowable) {
                return true;
            }
        }
        return false;
    }
}
