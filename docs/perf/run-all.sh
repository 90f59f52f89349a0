#!/usr/bin/env bash
# Measures every target of docs/PERFORMANCE.md against its reference in the same run, RUNS times,
# and prints the table (docs/perf/summarize.py). Needs the built jars (mvn -B -q -DskipTests package),
# md5sum and python3; the FTP references need vsftpd, lftp and curl (skipped when absent).
#
#   docs/perf/run-all.sh [OUT_DIR]            all targets
#   ONLY="upload download" docs/perf/run-all.sh   some of: upload download small idle noop chat ls stat oneshot
#
# oneshot (not in the default list: it needs 3 GiB of scratch space) times what a user runs, as
# processes through the launcher with a saved session: `netdisk upload` of 1 GiB, `netdisk download`
# of it once the server's copy is out of the page cache (evicted with `dd iflag=nocache`, which
# needs no privilege), the same download again with the copy cached, `netdisk ls` of a small
# directory and `netdisk pwd`, each beside `md5sum` of the cached file in the same run.
#
# Environment: RUNS (default 5), PORT (bench server, 2199), WORK (scratch, /tmp/netdisk-perf-work),
# CLI_OPTS (before every one-shot command: --no-tls for the plain rows; TLS is the client's default),
# BENCH_OPTS (options of `netdisk bench`: --tls for TLS rows; the bench is plain by default),
# WARMUP (unmeasured 1 GiB transfers before each measured one, default 1, and 8 unmeasured rounds
# of upload -r and download -r before the small files' runs; 0 for a cold server and a cold JVM),
# SMALL_WARMUP (those unmeasured rounds before the small files' runs, default 8 when WARMUP > 0), CHAT_RATE (messages per second per chat pair member, default 21: 21,000 offered),
# FTP_PORT (a vsftpd started by this script, 2221; FTP_USER/FTP_PASS a local account it may use),
# DATABASE (a jdbc:postgresql:// URL: the server keeps its metadata there instead of SQLite; the
# database's public schema is dropped and made again before each server start, docs/perf/ResetDatabase.java).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${1:-/tmp/netdisk-perf-$(date +%Y%m%d-%H%M%S)}
RUNS=${RUNS:-5}
PORT=${PORT:-2199}
WORK=${WORK:-/tmp/netdisk-perf-work}
ONLY=${ONLY:-"upload download small idle noop chat ls stat"}
FTP_PORT=${FTP_PORT:-2221}
FTP_USER=${FTP_USER:-ftpbench}
FTP_PASS=${FTP_PASS:-benchpass}
SERVER_LAUNCHER=$ROOT/netdisk-server/src/main/sh/netdisk-server
CLI_JAR=$ROOT/netdisk-cli/target/netdisk.jar
RESULTS=$OUT/results.jsonl

mkdir -p "$OUT" "$WORK"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true   # 10,000 idle connections need 10,000+ descriptors
export NETDISK_CONFIG_DIR=$WORK/cli-config NETDISK_PORT=$PORT NETDISK_HOST=127.0.0.1
# Each run starts a server on a fresh data directory, with a new self-signed certificate: forget the old one.
rm -f "$WORK/cli-config/known_hosts"

log() { printf '%s %s\n' "$(date +%T)" "$*" >&2; }
now() { date +%s.%N; }
# record NAME RUN KEY VALUE...: one JSON object per measurement, read by summarize.py
record() {
    local name=$1 run=$2; shift 2
    python3 - "$name" "$run" "$@" >> "$RESULTS" <<'PY'
import json, sys
name, run, rest = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
row = {"name": name, "run": run}
for k, v in zip(rest[::2], rest[1::2]):
    try: row[k] = float(v)
    except ValueError: row[k] = v
print(json.dumps(row))
PY
}
# jget FILE EXPR: a value from a bench --json file (EXPR is Python over `d`)
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
load() { cut -d' ' -f1 /proc/loadavg; }

SERVER_PID=
start_server() {
    stop_server
    rm -rf "$WORK/data"
    cat > "$WORK/bench-server.properties" <<CONF
port = $PORT
bind = 127.0.0.1
data-dir = $WORK/data
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
    if [[ -n ${DATABASE:-} ]]; then
        java -cp "$ROOT/netdisk-server/target/netdisk-server.jar" "$ROOT/docs/perf/ResetDatabase.java" "$DATABASE"
        printf 'database = %s\n' "$DATABASE" >> "$WORK/bench-server.properties"
    fi
    if [[ -n ${SERVER_EXTRA_CONFIG:-} ]]; then printf '%s\n' "$SERVER_EXTRA_CONFIG" >> "$WORK/bench-server.properties"; fi
    # Through the launcher, with its JVM flags (bulk threads at nice 10), as the server is shipped.
    NETDISK_JAVA_OPTS=${SERVER_JAVA_OPTS:-} "$SERVER_LAUNCHER" --config "$WORK/bench-server.properties" > "$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 200); do
        if grep -q "listening" "$WORK/server.log" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    log "server did not start:"; cat "$WORK/server.log" >&2; exit 1
}
stop_server() {
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=; fi
}
trap 'stop_server; [[ -n ${FTPD_STARTED:-} ]] && pkill -f vsftpd-bench.conf || true' EXIT

# BENCH_OPTS: options of the bench command, such as --tls for the TLS rows of the 1 GiB transfers.
bench() { java -jar "$CLI_JAR" --port "$PORT" --host 127.0.0.1 bench -q --json ${BENCH_OPTS:-} "$@"; }
# One-shot commands go through the launcher, as users run them (with its class-data sharing archive,
# dumped after the first command of the run, register, from the classes that one loaded).
# CLI_OPTS: options before every one-shot command, such as --no-tls to measure without TLS.
netdisk() { XDG_CACHE_HOME=$WORK/cache "$ROOT/netdisk-cli/src/main/sh/netdisk" ${CLI_OPTS:-} "$@"; }
md5_seconds() { local t0; t0=$(now); md5sum "$1" > /dev/null; python3 -c "print($(now) - $t0)"; }
# server_cpu: CPU seconds (user + system) the server's JVM has used so far (the launcher execs java).
server_cpu() { python3 -c "import os,sys; f=open('/proc/%s/stat' % sys.argv[1]).read().rsplit(')',1)[1].split(); print((int(f[11]) + int(f[12])) / os.sysconf('SC_CLK_TCK'))" "$SERVER_PID"; }

ftp_ready() {
    command -v vsftpd > /dev/null && command -v curl > /dev/null && id "$FTP_USER" > /dev/null 2>&1 || return 1
    if ! pgrep -f vsftpd-bench.conf > /dev/null; then
        mkdir -p /var/run/vsftpd/empty
        cat > "$WORK/vsftpd-bench.conf" <<CONF
listen=YES
listen_address=127.0.0.1
listen_port=$FTP_PORT
anonymous_enable=NO
local_enable=YES
write_enable=YES
pasv_enable=YES
pasv_min_port=30000
pasv_max_port=30100
seccomp_sandbox=NO
xferlog_enable=NO
pam_service_name=vsftpd
secure_chroot_dir=/var/run/vsftpd/empty
background=YES
CONF
        vsftpd "$WORK/vsftpd-bench.conf" && FTPD_STARTED=1 && sleep 0.5
    fi
    FTP_HOME=$(getent passwd "$FTP_USER" | cut -d: -f6)
}
FTP_URL="ftp://$FTP_USER:$FTP_PASS@127.0.0.1:$FTP_PORT"

big_file() {
    if [[ ! -f $WORK/big.bin ]]; then head -c 1G /dev/urandom > "$WORK/big.bin"; fi
    cat "$WORK/big.bin" > /dev/null   # into the page cache, as for md5sum
}

log "results in $OUT (runs: $RUNS; targets: $ONLY)"
start_server

for target in $ONLY; do
case $target in
upload|download)
    big_file
    for i in $(seq "$RUNS"); do
        ref=$(md5_seconds "$WORK/big.bin")
        cpu0=$(server_cpu)
        bench "$target" --file "$WORK/big.bin" --clients 1 --warmup "${WARMUP:-1}" --requests 1 --local-dir "$WORK" > "$OUT/$target-$i.json"
        # Server CPU per GiB moved: the warm-up transfers are 1 GiB each too.
        cpu=$(python3 -c "print(($(server_cpu) - $cpu0) / (${WARMUP:-1} + 1))")
        secs=$(jget "$OUT/$target-$i.json" "d['seconds']")
        ftp=
        if ftp_ready; then
            if [[ $target == upload ]]; then
                t0=$(now); md5sum "$WORK/big.bin" > /dev/null; curl -s -T "$WORK/big.bin" "$FTP_URL/big.bin"; ftp=$(python3 -c "print($(now) - $t0)")
            else
                t0=$(now); curl -s -o "$WORK/ftp-big.bin" "$FTP_URL/big.bin"; md5sum "$WORK/ftp-big.bin" > /dev/null; ftp=$(python3 -c "print($(now) - $t0)")
                rm -f "$WORK/ftp-big.bin"
            fi
        fi
        record "$target" "$i" seconds "$secs" md5sum_seconds "$ref" ftp_seconds "${ftp:-nan}" server_cpu_per_gib "$cpu" load "$(load)"
        log "$target $i: ${secs} s, md5sum ${ref} s, server CPU ${cpu} s/GiB, vsftpd+curl ${ftp:-n/a} s"
    done ;;
small)
    # Nothing is deleted before the end of this target (but what an interrupted invocation left),
    # and the source files are kept from one invocation to the next: on ext4 without a journal,
    # the inode allocator skips the inodes freed in the last 60 seconds (longer while their inode
    # table block is dirty) one by one, so creating files after deleting thousands costs about
    # 0.5 ms each, for any program. Leave a few minutes between invocations; the local copy
    # measured beside each download shows the effect.
    if [[ $(find "$WORK/small" -type f 2> /dev/null | wc -l) != 2000 ]]; then
        rm -rf "$WORK/small"; mkdir -p "$WORK/small"
        python3 -c "
import os, sys
for i in range(2000):
    with open(os.path.join(sys.argv[1], 'f%04d.bin' % i), 'wb') as f: f.write(os.urandom(4096))" "$WORK/small"
    fi
    rm -rf "$WORK"/small-down-*
    user=perf$RANDOM$RANDOM
    NETDISK_PASSWORD=perf-pass-1234 netdisk register "$user" > /dev/null
    NETDISK_PASSWORD=perf-pass-1234 netdisk login "$user" > /dev/null
    # The server runs for days: unmeasured rounds let its JIT compile the batch paths first (on a
    # fresh server the first download -r took 1.8 s, the eighth 0.6 s). Each measured command is
    # still a fresh client JVM. WARMUP=0: none, the first run is on a fresh server.
    for k in $(seq $(( ${WARMUP:-1} > 0 ? ${SMALL_WARMUP:-8} : 0 ))); do
        netdisk upload -r "$WORK/small" "/warm-$k" > /dev/null
        netdisk download -r "/warm-$k" "$WORK/small-down-warm-$k" > /dev/null
    done
    for i in $(seq "$RUNS"); do
        t0=$(now); netdisk pwd > /dev/null; jvm=$(python3 -c "print($(now) - $t0)")
        t0=$(now); netdisk upload -r "$WORK/small" "/small-$i" > /dev/null; up=$(python3 -c "print($(now) - $t0)")
        # Each download goes to a new directory; they are removed at the end.
        t0=$(now); netdisk download -r "/small-$i" "$WORK/small-down-$i" > /dev/null; down=$(python3 -c "print($(now) - $t0)")
        lup=nan; ldown=nan
        if ftp_ready && command -v lftp > /dev/null; then
            rm -rf "$FTP_HOME/small-$i"
            t0=$(now); lftp -u "$FTP_USER,$FTP_PASS" -p "$FTP_PORT" 127.0.0.1 -e "mirror -R --parallel=4 $WORK/small small-$i; quit" > /dev/null; lup=$(python3 -c "print($(now) - $t0)")
            t0=$(now); lftp -u "$FTP_USER,$FTP_PASS" -p "$FTP_PORT" 127.0.0.1 -e "mirror --parallel=4 small-$i $WORK/small-down-lftp-$i; quit" > /dev/null; ldown=$(python3 -c "print($(now) - $t0)")
        fi
        # The floor for the download side: the same 2,000 files written by a local program, no network.
        t0=$(now); python3 -c "
import os, sys
src, dst = sys.argv[1], sys.argv[2]
os.mkdir(dst)
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), 'rb') as f: data = f.read()
    with open(os.path.join(dst, name), 'wb') as f: f.write(data)" "$WORK/small" "$WORK/small-down-copy-$i"; lcopy=$(python3 -c "print($(now) - $t0)")
        record small "$i" files 2000 upload_seconds "$up" download_seconds "$down" jvm_start_seconds "$jvm" \
            lftp_upload_seconds "$lup" lftp_download_seconds "$ldown" copy_seconds "$lcopy" load "$(load)"
        log "small $i: upload -r ${up} s, download -r ${down} s (JVM start ${jvm} s); lftp+vsftpd ${lup} / ${ldown} s; local copy ${lcopy} s"
    done
    rm -rf "$WORK"/small-down-*
    if ftp_ready; then rm -rf "$FTP_HOME"/small-*; fi ;;
idle)
    for i in $(seq "$RUNS"); do
        start_server   # RSS growth is only meaningful on a fresh server
        bench idle --clients 10000 --server-pid "$SERVER_PID" > "$OUT/idle-$i.json"
        growth=$(jget "$OUT/idle-$i.json" "d['extra'].get('server_rss_growth_kib', 'nan')")
        held=$(jget "$OUT/idle-$i.json" "d['extra'].get('connections_held', 0)")
        record idle "$i" connections "$held" rss_growth_kib "$growth" load "$(load)"
        log "idle $i: $held held, RSS +$growth KiB"
    done
    start_server ;;
noop)
    big_file
    for i in $(seq "$RUNS"); do
        bench noop --clients 1 --rate 200 --duration 10s > "$OUT/noop-idle-$i.json"
        bench upload --file "$WORK/big.bin" --clients 4 --requests 4 > "$OUT/noop-uploads-$i.json" &
        up=$!
        sleep 3   # the four uploads are moving bytes
        bench noop --clients 1 --rate 200 --duration 10s > "$OUT/noop-busy-$i.json"
        wait "$up"
        record noop "$i" idle_p99_ms "$(jget "$OUT/noop-idle-$i.json" "d['latency_ms']['p99']")" \
            busy_p50_ms "$(jget "$OUT/noop-busy-$i.json" "d['latency_ms']['p50']")" \
            busy_p99_ms "$(jget "$OUT/noop-busy-$i.json" "d['latency_ms']['p99']")" \
            upload_mib_s "$(jget "$OUT/noop-uploads-$i.json" "d['mib_per_sec']")" load "$(load)"
        log "noop $i: p99 idle $(jget "$OUT/noop-idle-$i.json" "d['latency_ms']['p99']") ms, during 4 uploads $(jget "$OUT/noop-busy-$i.json" "d['latency_ms']['p99']") ms"
    done ;;
chat)
    for i in $(seq "$RUNS"); do
        # A run with errors (a ping unanswered when an overloaded server falls behind) exits non-zero
        # but still writes its JSON, which counts them: record it rather than stop.
        bench chat --clients 1000 --rate "${CHAT_RATE:-21}" --warmup 100 --duration 15s > "$OUT/chat-$i.json" || true
        record chat "$i" msgs_per_sec "$(jget "$OUT/chat-$i.json" "d['extra']['deliveries_per_sec']")" \
            offered "$(jget "$OUT/chat-$i.json" "1000 * d['extra']['rate_per_sender']")" \
            p50_ms "$(jget "$OUT/chat-$i.json" "d['extra']['delivery_ms_p50']")" \
            p99_ms "$(jget "$OUT/chat-$i.json" "d['extra']['delivery_ms_p99']")" \
            errors "$(jget "$OUT/chat-$i.json" "d['errors']")" load "$(load)"
        log "chat $i: $(jget "$OUT/chat-$i.json" "d['extra']['deliveries_per_sec']") msg/s delivered, p99 $(jget "$OUT/chat-$i.json" "d['extra']['delivery_ms_p99']") ms"
    done
    bench chat --clients 2 --rate 10 --duration 10s > "$OUT/chat-pair.json"
    record chat-pair 1 p50_ms "$(jget "$OUT/chat-pair.json" "d['extra']['delivery_ms_p50']")" \
        p99_ms "$(jget "$OUT/chat-pair.json" "d['extra']['delivery_ms_p99']")" load "$(load)" ;;
ls)
    for i in $(seq "$RUNS"); do
        bench ls --clients 1 --requests 20 --entries 10000 > "$OUT/ls-$i.json"
        record ls "$i" p50_ms "$(jget "$OUT/ls-$i.json" "d['latency_ms']['p50']")" \
            p99_ms "$(jget "$OUT/ls-$i.json" "d['latency_ms']['p99']")" load "$(load)"
        log "ls $i: p50 $(jget "$OUT/ls-$i.json" "d['latency_ms']['p50']") ms"
    done ;;
stat)
    for i in $(seq "$RUNS"); do
        bench noop --clients 64 --rate 0 --requests 100000 > "$OUT/stat-noop-$i.json"
        bench stat --clients 64 --requests 100000 > "$OUT/stat-$i.json"
        record stat "$i" ops_per_sec "$(jget "$OUT/stat-$i.json" "d['ops_per_sec']")" \
            noop_ops_per_sec "$(jget "$OUT/stat-noop-$i.json" "d['ops_per_sec']")" \
            p99_ms "$(jget "$OUT/stat-$i.json" "d['latency_ms']['p99']")" load "$(load)"
        log "stat $i: $(jget "$OUT/stat-$i.json" "d['ops_per_sec']") ops/s (NOOP $(jget "$OUT/stat-noop-$i.json" "d['ops_per_sec']"))"
    done ;;
oneshot)
    big_file
    user=perf$RANDOM$RANDOM
    NETDISK_PASSWORD=perf-pass-1234 netdisk register "$user" > /dev/null
    NETDISK_PASSWORD=perf-pass-1234 netdisk login "$user" > /dev/null
    netdisk makedir /few > /dev/null
    for k in 1 2 3; do printf 'file %s\n' "$k" > "$WORK/note-$k.txt"; netdisk upload "$WORK/note-$k.txt" /few/ > /dev/null; done
    netdisk pwd > /dev/null   # the launcher's class-data archive is dumped after the first command
    # evict_blobs: drops the server's stored files from the page cache (POSIX_FADV_DONTNEED through dd).
    evict_blobs() { find "$WORK/data" -type f -size +1M -exec dd if={} iflag=nocache count=0 status=none \; ; }
    for i in $(seq "$RUNS"); do
        ref=$(md5_seconds "$WORK/big.bin")
        t0=$(now); netdisk upload "$WORK/big.bin" "/big-$i.bin" > /dev/null; up=$(python3 -c "print($(now) - $t0)")
        evict_blobs
        t0=$(now); netdisk download "/big-$i.bin" "$WORK/down-$i.bin" > /dev/null; cold=$(python3 -c "print($(now) - $t0)")
        rm -f "$WORK/down-$i.bin"
        t0=$(now); netdisk download "/big-$i.bin" "$WORK/down-$i.bin" > /dev/null; warm=$(python3 -c "print($(now) - $t0)")
        rm -f "$WORK/down-$i.bin"
        t0=$(now); netdisk ls /few > /dev/null; lst=$(python3 -c "print($(now) - $t0)")
        t0=$(now); netdisk pwd > /dev/null; pwdt=$(python3 -c "print($(now) - $t0)")
        netdisk rm "/big-$i.bin" > /dev/null
        record oneshot "$i" upload_seconds "$up" cold_download_seconds "$cold" warm_download_seconds "$warm" \
            ls_seconds "$lst" pwd_seconds "$pwdt" md5sum_seconds "$ref" tls "${CLI_OPTS:+plain}" load "$(load)"
        log "oneshot $i: upload ${up} s, download cold ${cold} s / cached ${warm} s, ls ${lst} s, pwd ${pwdt} s; md5sum ${ref} s"
    done ;;
*) log "unknown target: $target"; exit 2 ;;
esac
done

stop_server
python3 "$ROOT/docs/perf/summarize.py" "$RESULTS" | tee "$OUT/summary.md"
