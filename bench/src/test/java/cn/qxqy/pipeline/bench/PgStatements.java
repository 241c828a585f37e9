package cn.qxqy.pipeline.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 27, "the database's share": PostgreSQL's pg_stat_statements (preloaded in the benchmark's server only), reset
 * as a measured write phase starts and read once its events are projected, so that each phase lists the statements
 * that took the database's time, with their calls and mean time. Both happen between loads (after a settle, after a
 * drain), over one JDBC connection of its own. The extension is in schema bench_stats (BenchInfrastructure).
 */
final class PgStatements {

    /** One normalised statement's share of a phase. */
    record Row(String query, long calls, double totalMillis, double meanMillis, long rows) {
    }

    /** A phase's statements: the top ones by total time, and the total over all of them. */
    record Share(List<Row> top, long statements, long calls, double totalMillis) {
    }

    private final String url;
    private final String user;
    private final String password;
    private final int top;
    private final Map<String, Share> shares = new LinkedHashMap<>();
    private Connection connection;
    private String unavailable;

    PgStatements(String url, String user, String password, int top) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.top = top;
    }

    /** Empties the statistics: the phase about to start is counted from here. */
    synchronized void reset() {
        try {
            try (Statement st = connection().createStatement()) {
                st.execute("SELECT bench_stats.pg_stat_statements_reset()");
            }
        } catch (SQLException e) {
            failed(e);
        }
    }

    /** Keeps the statistics since the last reset as {@code phase}'s. */
    synchronized void read(String phase) {
        String query = "SELECT query, calls, total_exec_time, mean_exec_time, rows,"
                + " count(*) OVER (), sum(calls) OVER (), sum(total_exec_time) OVER ()"
                + " FROM bench_stats.pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT ?";
        try (PreparedStatement st = connection().prepareStatement(query)) {
            st.setInt(1, top);
            List<Row> rows = new ArrayList<>();
            long statements = 0;
            long calls = 0;
            double total = 0;
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1).replaceAll("\\s+", " ").trim(), rs.getLong(2), rs.getDouble(3),
                            rs.getDouble(4), rs.getLong(5)));
                    statements = rs.getLong(6);
                    calls = rs.getLong(7);
                    total = rs.getDouble(8);
                }
            }
            shares.put(phase, new Share(rows, statements, calls, total));
        } catch (SQLException e) {
            failed(e);
        }
    }

    synchronized Map<String, Share> shares() {
        return new LinkedHashMap<>(shares);
    }

    /** Why there are no statistics (the extension is not loaded, the database is gone); null if there are. */
    synchronized String unavailable() {
        return unavailable;
    }

    synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the server is stopping
            }
            connection = null;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || !connection.isValid(2)) {
            connection = DriverManager.getConnection("jdbc:" + url, user, password);
        }
        return connection;
    }

    private void failed(SQLException e) {
        if (unavailable == null) {
            unavailable = e.getMessage();
            System.out.println("[bench] pg_stat_statements: " + e.getMessage());
        }
    }
}
