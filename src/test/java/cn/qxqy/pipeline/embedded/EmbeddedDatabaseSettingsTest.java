package cn.qxqy.pipeline.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The embedded PostgreSQL with server settings of the caller's (the benchmark preloads pg_stat_statements). */
class EmbeddedDatabaseSettingsTest {

    @Test
    @Timeout(60)
    void startsWithTheServerSettingsGivenBesideItsOwn(@TempDir Path dir) throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.startEphemeral(dir.resolve("postgres"), 0,
                Map.of("shared_preload_libraries", "pg_stat_statements"));
             Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.username(),
                     database.password());
             Statement statement = connection.createStatement()) {
            assertThat(show(statement, "shared_preload_libraries")).isEqualTo("pg_stat_statements");
            assertThat(show(statement, "synchronous_commit")).as("its own settings stay").isEqualTo("on");
            statement.execute("CREATE EXTENSION pg_stat_statements");
            statement.execute("SELECT pg_stat_statements_reset()");
            statement.execute("SELECT 42");
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM pg_stat_statements WHERE query = 'SELECT $1'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("statements are counted once preloaded").isEqualTo(1);
            }
        }
    }

    private static String show(Statement statement, String setting) throws Exception {
        try (ResultSet rs = statement.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
