import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Prints one line of PostgreSQL's cumulative counters for a bench run (cluster.sh, profile-pg.sh):
 * {@code commits rollbacks wal_syncs wal_records tuples_inserted tuples_updated statements}, where
 * statements is the sum of pg_stat_statements' calls (the extension is made in schema {@code perf} when
 * PostgreSQL preloads it, {@code shared_preload_libraries = 'pg_stat_statements'}; else -1).
 * With {@code reset} as second argument it zeroes pg_stat_statements first; with {@code top} it prints
 * instead the 15 statements called most since the last reset ({@code calls rows query}). Run with the server jar
 * (it carries pgjdbc): {@code java -cp netdisk-server.jar docs/perf/PgStats.java jdbc:postgresql://...}.
 */
public class PgStats {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0]); Statement st = c.createStatement()) {
            try {   // in its own schema: ResetDatabase drops public between runs
                st.execute("CREATE SCHEMA IF NOT EXISTS perf");
                st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements SCHEMA perf");
            } catch (java.sql.SQLException notPreloaded) {
                // shared_preload_libraries lacks it: the statements column stays -1
            }
            boolean statements;
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")) {
                statements = rs.next() && rs.getInt(1) > 0;
            }
            if (statements && args.length > 1 && args[1].equals("top")) {
                try (ResultSet rs = st.executeQuery("SELECT calls, rows, regexp_replace(query, '\\s+', ' ', 'g')"
                        + " FROM perf.pg_stat_statements ORDER BY calls DESC LIMIT 15")) {
                    while (rs.next()) {
                        String q = rs.getString(3);
                        System.out.println(rs.getLong(1) + " " + rs.getLong(2) + " " + q.substring(0, Math.min(q.length(), 150)));
                    }
                }
                return;
            }
            if (statements && args.length > 1 && args[1].equals("reset")) {
                st.execute("SELECT perf.pg_stat_statements_reset()");
            }
            st.execute("SELECT pg_stat_clear_snapshot()");
            String calls = statements ? "(SELECT coalesce(sum(calls), 0) FROM perf.pg_stat_statements)" : "-1";
            try (ResultSet rs = st.executeQuery("SELECT d.xact_commit, d.xact_rollback, w.wal_sync, w.wal_records,"
                    + " d.tup_inserted, d.tup_updated, " + calls
                    + " FROM pg_stat_database d, pg_stat_wal w WHERE d.datname = current_database()")) {
                rs.next();
                StringBuilder line = new StringBuilder();
                for (int i = 1; i <= 7; i++) line.append(i > 1 ? " " : "").append(rs.getLong(i));
                System.out.println(line);
            }
        }
    }
}
