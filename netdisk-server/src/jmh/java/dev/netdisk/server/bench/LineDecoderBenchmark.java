package dev.netdisk.server.bench;

import dev.netdisk.protocol.Arguments;
import dev.netdisk.protocol.LineDecoder;
import dev.netdisk.protocol.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lines per second through the selector thread's request path: {@link LineDecoder} framing and
 * UTF-8 decoding, then {@link Arguments#split}, over a mix of the protocol's common lines (short
 * verbs, quoted paths, a chat message, an upload announcement, a non-ASCII path).
 *
 * <p>Run: {@code mvn -B -Pjmh -pl netdisk-server test-compile exec:exec -Djmh.args="LineDecoder"}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class LineDecoderBenchmark {

    /** Lines in {@link #input}: each benchmark invocation decodes all of them. */
    static final int LINES = 1_000;

    private static final String[] MIX = {
        "NOOP\r\n",
        "STAT \"/photos/holiday 2026/img_0001.jpg\"\r\n",
        "CHAT bob are you coming to the meeting at three? bring the slides please\r\n",
        "UPLOAD \"/backups/backup.tar\" 1073741824 6f5902ac237024bdd0c176cb93063dc4 --overwrite\r\n",
        "CD /照片/2026年\r\n",
        "LS\n",
    };

    private ByteBuffer input;
    private LineDecoder decoder;

    @Setup
    public void setUp() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < LINES; i++) {
            bytes.writeBytes(MIX[i % MIX.length].getBytes(StandardCharsets.UTF_8));
        }
        input = ByteBuffer.wrap(bytes.toByteArray());
        decoder = new LineDecoder(8192);
    }

    /** Framing and decoding only: what every byte of every control connection goes through. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void decode(Blackhole sink) {
        ByteBuffer in = input.duplicate();
        LineDecoder.Item item;
        while ((item = decoder.next(in)) != null) {
            sink.consume(item);
        }
    }

    /** Framing, decoding and splitting into arguments: the whole parse of a request. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void decodeAndSplit(Blackhole sink) throws ProtocolException {
        ByteBuffer in = input.duplicate();
        LineDecoder.Item item;
        while ((item = decoder.next(in)) != null) {
            sink.consume(Arguments.split(((LineDecoder.Line) item).text()));
        }
    }
}
