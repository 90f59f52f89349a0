#!/usr/bin/env bash
# N netdisk servers on one PostgreSQL and one S3 store (issue 21): small files and chat, the
# aggregate and each server's share, with PostgreSQL's commits and WAL flushes per file and per
# message. Clients are spread by port: each server gets its own user running `upload -r` /
# `download -r` of 2,000 x 4 KiB, and its own `netdisk bench chat`, all at once.
#
#   DATABASE=jdbc:postgresql://127.0.0.1:5511/postgres?user=postgres \
#   BLOB_STORE='s3://bench?endpoint=http://127.0.0.1:2511&region=us-east-1' \
#   AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... docs/perf/cluster.sh OUT_DIR "1 2 3"
#
# Environment: PORT (first server's port, 2601; server k listens on PORT+k-1), WORK (scratch),
# CHAT_TOTAL_RATES (aggregate offered msg/s of each chat run, "5000 10000": 1,000 users in pairs,
# split evenly over the servers), SMALL_WARMUP (unmeasured upload -r/download -r rounds per server, 1).
# PG_OS_USER (when PostgreSQL runs on this machine: the OS user of its processes, whose CPU is
# then logged too, "pg CPU", summed over its processes alive before and after).
# Needs the built jars and docs/perf/PgStats.java; the database's public schema is dropped first.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-/tmp/netdisk-cluster-$(date +%Y%m%d-%H%M%S)}
COUNTS=${2:-"1 2 3"}
PORT=${PORT:-2601}
WORK=${WORK:-/tmp/netdisk-cluster-work}
RATES=${CHAT_TOTAL_RATES:-"5000 10000"}
SERVER_JAR=$ROOT/netdisk-server/target/netdisk-server.jar
CLI_JAR=$ROOT/netdisk-cli/target/netdisk.jar
mkdir -p "$OUT" "$WORK"
log() { printf '%s %s\n' "$(date +%T)" "$*" | tee -a "$OUT/log.txt" >&2; }
now() { date +%s.%N; }
calc() { python3 -c "print(round($1, 3))"; }
pgstats() { java -cp "$SERVER_JAR" "$ROOT/docs/perf/PgStats.java" "$DATABASE" "$@" 2> /dev/null; }
cpu() { python3 -c "import os,sys; f=open('/proc/%s/stat' % sys.argv[1]).read().rsplit(')',1)[1].split(); print((int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK'))" "$1"; }
# pgcpu: CPU seconds of PostgreSQL's processes (those of PG_OS_USER), or 0 without it
pgcpu() {
    [[ -n ${PG_OS_USER:-} ]] || { echo 0; return; }
    python3 -c "
import os, sys
t = 0
for p in sys.argv[1:]:
    try: f = open('/proc/%s/stat' % p).read().rsplit(')', 1)[1].split(); t += int(f[11]) + int(f[12])
    except OSError: pass
print(t / os.sysconf('SC_CLK_TCK'))" $(pgrep -u "$PG_OS_USER" -x postgres)
}
# delta BEFORE AFTER: the counters' differences, "commits rollbacks wal_syncs wal_records inserted updated statements"
delta() { python3 -c "import sys; a=sys.argv[1].split(); b=sys.argv[2].split(); print(' '.join(str(int(y)-int(x)) for x, y in zip(a, b)))" "$1" "$2"; }
netdisk() { XDG_CACHE_HOME=$WORK/cache "$ROOT/netdisk-cli/src/main/sh/netdisk" "$@"; }

PIDS=()
stop_all() { for p in "${PIDS[@]}"; do kill "$p" 2> /dev/null || true; wait "$p" 2> /dev/null || true; done; PIDS=(); }
trap stop_all EXIT
start_servers() {   # N
    stop_all
    java -cp "$SERVER_JAR" "$ROOT/docs/perf/ResetDatabase.java" "$DATABASE" 2> /dev/null
    for k in $(seq "$1"); do
        rm -rf "$WORK/data-$k"
        cat > "$WORK/server-$k.properties" <<CONF
port = $((PORT + k - 1))
bind = 127.0.0.1
data-dir = $WORK/data-$k
database = $DATABASE
blob-store = $BLOB_STORE
log-level = warning
max-connections = 0
max-connections-per-ip = 0
max-sessions-per-user = 0
max-tickets-per-user = 0
max-transfers-per-user = 0
registrations-per-ip-per-hour = 0
password-iterations = 1000
default-quota-mib = 1048576
chat-per-second = 0
CONF
        NETDISK_JAVA_OPTS=${SERVER_JAVA_OPTS:-} "$ROOT/netdisk-server/src/main/sh/netdisk-server" --config "$WORK/server-$k.properties" > "$WORK/server-$k.log" 2>&1 &
        PIDS+=($!)
        # One at a time: the first migrates the fresh schema.
        for _ in $(seq 300); do grep -q listening "$WORK/server-$k.log" 2> /dev/null && break; sleep 0.1; done
        grep -q listening "$WORK/server-$k.log" || { cat "$WORK/server-$k.log" >&2; exit 1; }
    done
}

if [[ $(find "$WORK/small" -type f 2> /dev/null | wc -l) != 2000 ]]; then
    rm -rf "$WORK/small"; mkdir -p "$WORK/small"
    python3 -c "
import os, sys
for i in range(2000):
    with open(os.path.join(sys.argv[1], 'f%04d.bin' % i), 'wb') as f: f.write(os.urandom(4096))" "$WORK/small"
fi

for n in $COUNTS; do
    start_servers "$n"
    log "n=$n: servers ${PIDS[*]} on ports $PORT..$((PORT + n - 1)); uptime: $(uptime)"
    for k in $(seq "$n"); do
        export NETDISK_CONFIG_DIR=$WORK/cli-$k NETDISK_PORT=$((PORT + k - 1)) NETDISK_HOST=127.0.0.1 NETDISK_PASSWORD=perf-pass-1234
        rm -rf "$NETDISK_CONFIG_DIR"
        netdisk register "u$n-$k" > /dev/null; netdisk login "u$n-$k" > /dev/null
    done
    client() {   # K COMMAND...: runs the CLI as server K's user and prints the wall seconds
        local k=$1; shift; local t0; t0=$(now)
        NETDISK_CONFIG_DIR=$WORK/cli-$k NETDISK_PORT=$((PORT + k - 1)) netdisk "$@" > /dev/null
        python3 -c "print($(now) - $t0)"
    }
    rm -rf "$WORK"/down-*
    for w in $(seq "${SMALL_WARMUP:-1}"); do
        jobs=(); for k in $(seq "$n"); do (client "$k" upload -r "$WORK/small" "/warm-$w" > /dev/null; client "$k" download -r "/warm-$w" "$WORK/down-warm-$n-$k-$w" > /dev/null) & jobs+=($!); done
        wait "${jobs[@]}"   # not a bare wait: the servers are children too
    done
    for op in upload download; do
        before=$(pgstats reset); p0=$(pgcpu)
        c0=(); for p in "${PIDS[@]}"; do c0+=("$(cpu "$p")"); done
        t0=$(now); jobs=()
        for k in $(seq "$n"); do
            if [[ $op == upload ]]; then client "$k" upload -r "$WORK/small" /m > "$WORK/t-$k" &
            else client "$k" download -r /m "$WORK/down-$n-$k" > "$WORK/t-$k" & fi
            jobs+=($!)
        done
        wait "${jobs[@]}"
        wall=$(python3 -c "print($(now) - $t0)")
        p1=$(pgcpu)
        c1=(); for p in "${PIDS[@]}"; do c1+=("$(cpu "$p")"); done
        sleep 11   # backends flush pg_stat_database when idle, at most every 10 s
        d=$(delta "$before" "$(pgstats)")
        pgstats top > "$OUT/statements-$n-$op.txt"
        per=""; cpus=0; for k in $(seq "$n"); do per+="$(calc "2000 / $(cat "$WORK/t-$k")") "; cpus=$(calc "$cpus + ${c1[$((k-1))]} - ${c0[$((k-1))]}"); done
        log "n=$n small $op: wall $(calc "$wall") s, aggregate $(calc "2000 * $n / $wall") files/s, per server (files/s): $per; server CPU $cpus s total, $(calc "$cpus * 1000 / (2000 * $n)") ms/file; pg CPU $(calc "($p1 - $p0) * 1000 / (2000 * $n)") ms/file; pg delta (commits rollbacks wal_syncs wal_records inserted updated statements): $d; load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
    for rate in $RATES; do
        clients=$(( (1000 / n) / 2 * 2 )); per=$(calc "$rate / 1000.0")
        before=$(pgstats reset); p0=$(pgcpu)
        c0=(); for p in "${PIDS[@]}"; do c0+=("$(cpu "$p")"); done
        jobs=()
        for k in $(seq "$n"); do
            java -jar "$CLI_JAR" --port $((PORT + k - 1)) --host 127.0.0.1 bench -q --json chat --clients "$clients" --rate "$per" --warmup 100 --duration 15s > "$OUT/chat-$n-$rate-$k.json" &
            jobs+=($!)
        done
        wait "${jobs[@]}" || true   # a run that counts errors exits non-zero; its JSON is still written
        p1=$(pgcpu)
        c1=(); for p in "${PIDS[@]}"; do c1+=("$(cpu "$p")"); done
        sleep 11
        d=$(delta "$before" "$(pgstats)")
        pgstats top > "$OUT/statements-$n-chat$rate.txt"
        summary=$(python3 - "$OUT" "$n" "$rate" <<'PY'
import json, sys
out, n, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rows = []
for k in range(1, n + 1):
    try: rows.append(json.load(open(f"{out}/chat-{n}-{rate}-{k}.json")))
    except ValueError: rows.append(None)   # the bench gave up in its set-up (its message is in the log)
tot = sum(r["extra"]["deliveries_per_sec"] for r in rows if r)
print(f"aggregate {tot:.0f} msg/s; per server " + ", ".join("set-up failed" if not r else
    f"{r['extra']['deliveries_per_sec']:.0f} msg/s p50 {r['extra']['delivery_ms_p50']:.0f} ms p99 {r['extra']['delivery_ms_p99']:.0f} ms errors {r['errors']}" for r in rows))
PY
)
        cpus=0; for k in $(seq "$n"); do cpus=$(calc "$cpus + ${c1[$((k-1))]} - ${c0[$((k-1))]}"); done
        log "n=$n chat offered $rate msg/s ($clients users per server): $summary; server CPU $cpus s; pg CPU $(calc "$p1 - $p0") s; pg delta: $d; load $(cut -d' ' -f1-3 /proc/loadavg)"
    done
    rm -rf "$WORK"/down-*
done
stop_all
