package dev.netdisk.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path lookups and the listing are index searches, never a scan or a sort of the nodes table. */
class QueryPlanTest {

    @TempDir
    Path dir;

    @Test
    void pathLookupsAndListingsUseTheIndexes() throws SQLException {
        try (Database db = Database.open(dir.resolve("netdisk.db"), 1)) {
            assertThat(plan(db, StoreSql.ROOT_SQL)).containsExactly("SEARCH nodes USING INDEX nodes_root_by_owner (owner_id=?)");
            assertThat(plan(db, StoreSql.CHILD_SQL))
                    .containsExactly("SEARCH nodes USING INDEX nodes_by_parent_and_name (parent_id=? AND name=?)");
            // Already in name order by the index: no "USE TEMP B-TREE FOR ORDER BY".
            assertThat(plan(db, StoreSql.pathSql(3))).containsExactly(
                    "SEARCH n0 USING INDEX nodes_root_by_owner (owner_id=?)",
                    "SEARCH n1 USING INDEX nodes_by_parent_and_name (parent_id=? AND name=?)",
                    "SEARCH n2 USING INDEX nodes_by_parent_and_name (parent_id=? AND name=?)",
                    "SEARCH n3 USING INDEX nodes_by_parent_and_name (parent_id=? AND name=?)");
            assertThat(plan(db, StoreSql.LIST_SQL)).containsExactly("SEARCH nodes USING INDEX nodes_by_parent_and_name (parent_id=?)");
        }
    }

    private static List<String> plan(Database db, String sql) throws SQLException {
        return db.read(c -> {
            List<String> steps = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                for (int i = 1; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                    ps.setNull(i, java.sql.Types.NULL);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        steps.add(rs.getString("detail"));
                    }
                }
            }
            return steps;
        });
    }
}
