import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Empties the PostgreSQL database of a bench run before each server start (run-all.sh, DATABASE):
 * drops its public schema and makes it again, so the server migrates a fresh one, as it starts on
 * a fresh data directory with SQLite. Run with the server jar (it carries pgjdbc) on the class path:
 * {@code java -cp netdisk-server.jar docs/perf/ResetDatabase.java jdbc:postgresql://...}.
 */
public class ResetDatabase {
    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0]); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS public CASCADE");
            st.execute("CREATE SCHEMA public");
        }
    }
}
