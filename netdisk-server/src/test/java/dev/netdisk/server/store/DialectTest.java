package dev.netdisk.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DialectTest {

    @Test
    void noUrlIsSqliteAndAPostgresqlUrlIsPostgresql() {
        assertThat(Dialect.of(null)).isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.of("")).isEqualTo(Dialect.SQLITE);
        assertThat(Dialect.of("jdbc:postgresql://db:5432/netdisk")).isEqualTo(Dialect.POSTGRESQL);
        assertThatThrownBy(() -> Dialect.of("jdbc:mysql://root:hunter2@db/netdisk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://root:***@db/netdisk").hasMessageNotContaining("hunter2");
    }

    @Test
    void aPasswordNeverReachesADescription() {
        assertThat(Dialect.redact("jdbc:postgresql://db/netdisk?user=nd&password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/netdisk?user=nd&password=***&ssl=true");
        assertThat(Dialect.redact("jdbc:postgresql://nd:hunter2@db:5432/netdisk"))
                .isEqualTo("jdbc:postgresql://nd:***@db:5432/netdisk");
        assertThat(Dialect.redact("jdbc:postgresql://db/netdisk?PASSWORD=x")).doesNotContain("=x");
    }

    @Test
    void serializationFailuresAndDeadlocksAreRetryableOtherErrorsAreNot() {
        assertThat(Dialect.retryable(new SQLException("could not serialize", "40001"))).isTrue();
        assertThat(Dialect.retryable(new SQLException("deadlock detected", "40P01"))).isTrue();
        assertThat(Dialect.retryable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Dialect.retryable(new RuntimeException(new SQLException("x", "40001")))).isTrue();
        BatchUpdateException batch = new BatchUpdateException("batch failed", "XX000", new int[0]);
        batch.setNextException(new SQLException("could not serialize", "40001"));
        assertThat(Dialect.retryable(batch)).isTrue();
    }
}
