package cn.qxqy.pipeline.problem;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

import java.net.SocketException;
import java.util.Set;

/**
 * Whether a failure means PostgreSQL could not be reached or is shutting down, rather than a fault in the request or
 * in the service: then the client is told to come back (503 with Retry-After), since nothing was written.
 */
public final class DatabaseUnavailable {

    /** SQLSTATEs of a server that is going away or not there yet: admin/crash shutdown, cannot connect now, too many. */
    private static final Set<String> UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "53300");

    private DatabaseUnavailable() {
    }

    public static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // Refused or reset connections (a terminated backend's socket is reset under the client).
            if (t instanceof SocketException || t instanceof ClosedConnectionException) {
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
}
