#!/usr/bin/env bash
# CLONE plugin benchmark: how fast `agent.jar serve` seeds an empty MySQL 8.0.33 replica with the CLONE plugin,
# from a donor mysqld with --size bytes of incompressible InnoDB rows, page cache dropped before each run. The
# xbstream numbers of bench/clone-bench.sh (MariaDB) are the other half of the comparison: docs/benchmark.md.
#
#   sudo bench/clone-plugin-bench.sh                 # 1 GiB, 3 runs
#   sudo bench/clone-plugin-bench.sh --size 4G --reps 3
#
# Per run: a fresh recipient (mysqld --initialize-insecure) under cluster/mysqld-supervisor.sh (so the clone's
# RESTART comes back by itself), then serve; wall time = serve's own "clone done" figure (CLONE statement to the
# restarted server reporting Completed). The FILE COPY stage of performance_schema.clone_progress gives the transfer
# rate alone. One extra run without the agent (the mysql client's CLONE) shows what the server does by itself.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
CLIENT_ONLY=0 SIZE=1G REPS=3 OUT=$ROOT/bench/results WORK=/var/tmp/agent-bench-clone SETTLE=10
while [ $# -gt 0 ]; do
  case $1 in
    --client-only) CLIENT_ONLY=1; shift ;;
    --size) SIZE=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    *) echo "usage: $0 [--size 1G] [--reps 3] [--out dir] [--work dir] [--settle s] [--client-only]" >&2; exit 2 ;;
  esac
done
say() { echo "clone-plugin-bench: $*"; }
die() { echo "clone-plugin-bench: $*" >&2; exit 1; }
bytes_of() { numfmt --from=iec "$1"; }

# MySQL 8.0.33 from the same Maven artifact as the local cluster (one home for its coordinates and unpacking).
LC_ROOT=$ROOT LC_HOME=${HOME:-/root} BASE=$WORK FLAVOR=mysql80
# shellcheck disable=SC1091
. "$ROOT/cluster/lib/flavor.sh"
mkdir -p "$WORK" "$OUT"
flavor_binaries_ensure
MY=$(mysql80_home)
JAR=${AGENT_JAR:-$ROOT/agent/target/agent.jar}
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -ntp -q -pl agent -am package -DskipTests) || die "build agent.jar first"
JAVA_OPTS=${AGENT_JAVA_OPTS:-$(tr '\n' ' ' < "$ROOT/docker/agent-jvm.options")}
PORT=${BENCH_PORT_BASE:-19306}
DONOR_PORT=$PORT RECIPIENT_PORT=$((PORT + 10)) SERVE_PORT=$((PORT + 11))
TARGET=$(bytes_of "$SIZE")

mysqld_args() {  # datadir port server-id
  echo --no-defaults --basedir="$MY" --datadir="$1" --user=root --port="$2" --bind-address=127.0.0.1 \
    --socket="$1.sock" --pid-file="$1.pid" --log-error="$1.err" --mysqlx=OFF --server-id="$3" --gtid-mode=ON \
    --enforce-gtid-consistency=ON --plugin-load-add=mysql_clone.so --performance-schema=ON \
    --innodb-buffer-pool-size=256M --innodb-redo-log-capacity=512M --skip-name-resolve
}
sql() { "$MY/bin/mysql" --no-defaults -uroot -h127.0.0.1 -P"$1" -N -B -e "$2"; }
await_mysqld() {  # port pid
  local deadline=$((SECONDS + 300))
  until sql "$1" "SELECT 1" >/dev/null 2>&1; do
    kill -0 "$2" 2>/dev/null || die "mysqld on port $1 exited; see its .err log"
    [ $SECONDS -lt $deadline ] || die "mysqld on port $1 does not answer"
    sleep 0.2
  done
}
initialize() {  # datadir
  rm -rf "$1"
  printf "SET SESSION sql_log_bin = 0;\nCREATE USER 'root'@'%%';\nGRANT ALL ON *.* TO 'root'@'%%' WITH GRANT OPTION;\n" > "$1.init.sql"
  # shellcheck disable=SC2046
  "$MY/bin/mysqld" --no-defaults --basedir="$MY" --datadir="$1" --user=root --initialize-insecure \
    --innodb-redo-log-capacity=512M --init-file="$1.init.sql" > "$1.init.log" 2>&1 || die "initialise $1 failed: $(tail -3 "$1.init.log")"
}
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# ---- the donor: made once per size, reused ----------------------------------------------------------------
DONOR=$WORK/donor-$SIZE/data
if [ ! -f "$WORK/donor-$SIZE/ready" ]; then
  say "making the donor: $SIZE of 1 KiB RANDOM_BYTES rows (once; kept in $WORK/donor-$SIZE)"
  mkdir -p "$WORK/donor-$SIZE"; initialize "$DONOR"
  # shellcheck disable=SC2046
  "$MY/bin/mysqld" $(mysqld_args "$DONOR" "$DONOR_PORT" 1) & PIDS+=($!); await_mysqld "$DONOR_PORT" $!
  sql "$DONOR_PORT" "CREATE DATABASE bench; CREATE TABLE bench.blobs (id BIGINT AUTO_INCREMENT PRIMARY KEY, b VARBINARY(1024) NOT NULL);
    INSERT INTO bench.blobs (b) VALUES (RANDOM_BYTES(1024))"
  rows=1
  while [ $((rows * 1100)) -lt "$TARGET" ]; do
    sql "$DONOR_PORT" "SET SESSION sql_log_bin = 0; INSERT INTO bench.blobs (b) SELECT RANDOM_BYTES(1024) FROM bench.blobs LIMIT $(( (TARGET / 1100) - rows + 1 ))"
    rows=$(sql "$DONOR_PORT" "SELECT COUNT(*) FROM bench.blobs")
  done
  sql "$DONOR_PORT" "CREATE USER 'cloner'@'%' IDENTIFIED BY 'bench'; GRANT BACKUP_ADMIN ON *.* TO 'cloner'@'%'"
  sql "$DONOR_PORT" "SHUTDOWN"; wait "${PIDS[-1]}" || true; unset 'PIDS[-1]'
  touch "$WORK/donor-$SIZE/ready"
fi
# shellcheck disable=SC2046
"$MY/bin/mysqld" $(mysqld_args "$DONOR" "$DONOR_PORT" 1) & PIDS+=($!); await_mysqld "$DONOR_PORT" $!
IBD=$(stat -c %s "$DONOR/bench/blobs.ibd")
say "donor: bench/blobs.ibd = $IBD bytes, $(sql "$DONOR_PORT" "SELECT COUNT(*) FROM bench.blobs") rows"

CACHE_DROPPED=no; [ "$(id -u)" = 0 ] && CACHE_DROPPED=yes
drop_cache() {
  if [ "$CACHE_DROPPED" = yes ]; then sync; echo 3 > /proc/sys/vm/drop_caches; sleep "$SETTLE"; fi
}

# One clone into a fresh supervised recipient. $1 = agent|client. Prints "wall_s bytes filecopy_s restart_s".
one_run() {
  local how=$1 rdir=$WORK/recipient/data log=$WORK/serve.log
  mkdir -p "$WORK/recipient"; initialize "$rdir"
  # shellcheck disable=SC2046
  bash "$ROOT/cluster/mysqld-supervisor.sh" "$rdir.mysqld-pid" "$MY/bin/mysqld" $(mysqld_args "$rdir" "$RECIPIENT_PORT" 2) \
    >> "$WORK/supervisor.log" 2>&1 &
  local sup=$!; PIDS+=($sup); await_mysqld "$RECIPIENT_PORT" "$sup"
  drop_cache
  local wall
  if [ "$how" = agent ]; then
    # shellcheck disable=SC2086
    AGENT_CLONE_PASSWORD=bench java $JAVA_OPTS -jar "$JAR" serve --hostname mysql-1 --data-dir "$rdir" \
      --listen "127.0.0.1:$SERVE_PORT" --mysql-port "$RECIPIENT_PORT" --source-host 127.0.0.1 --source-port "$DONOR_PORT" \
      --clone-method clone-plugin --clone-donor "127.0.0.1:$DONOR_PORT" --clone-user cloner > "$log" 2>&1 &
    local serve=$!; PIDS+=($serve)
    local deadline=$((SECONDS + 3600))
    until grep -q "clone done: cloned" "$log"; do
      kill -0 "$serve" 2>/dev/null || die "serve exited: $(tail -5 "$log")"
      [ $SECONDS -lt $deadline ] || die "no clone after an hour"
      sleep 0.2
    done
    wall=$(grep -m1 -o "clone done: cloned [0-9]* bytes from [^ ]* in [0-9.]* s" "$log" | awk '{print $(NF-1)}')
    kill "$serve"; wait "$serve" 2>/dev/null || true
  else
    local t0; t0=$(date +%s.%N)
    local ssl=""; [ "$how" = client-no-ssl ] && ssl=" REQUIRE NO SSL"
    sql "$RECIPIENT_PORT" "SET GLOBAL clone_valid_donor_list = '127.0.0.1:$DONOR_PORT'; CLONE INSTANCE FROM 'cloner'@'127.0.0.1':$DONOR_PORT IDENTIFIED BY 'bench'$ssl" || true
    until [ "$(sql "$RECIPIENT_PORT" "SELECT STATE FROM performance_schema.clone_status" 2>/dev/null)" = Completed ]; do sleep 0.2; done
    wall=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  fi
  local stages
  stages=$(sql "$RECIPIENT_PORT" "SELECT (SELECT SUM(DATA) FROM performance_schema.clone_progress),
      (SELECT TIMESTAMPDIFF(MICROSECOND, BEGIN_TIME, END_TIME) / 1e6 FROM performance_schema.clone_progress WHERE STAGE = 'FILE COPY'),
      (SELECT TIMESTAMPDIFF(MICROSECOND, r.BEGIN_TIME, v.END_TIME) / 1e6 FROM performance_schema.clone_progress r,
         performance_schema.clone_progress v WHERE r.STAGE = 'RESTART' AND v.STAGE = 'RECOVERY')")
  [ "$(stat -c %s "$rdir/bench/blobs.ibd")" = "$IBD" ] || die "the clone's bench/blobs.ibd differs from the donor's"
  kill "$(cat "$rdir.mysqld-pid")"; wait "$sup" 2>/dev/null || true
  # shellcheck disable=SC2086
  echo "$wall" $stages
}

CSV=$OUT/clone-plugin.csv
echo "variant,run,wall_s,bytes,file_copy_s,restart_recovery_s" > "$CSV"
if [ "$CLIENT_ONLY" = 1 ]; then REPS=0; fi
for ((r = 1; r <= REPS; r++)); do
  say "run $r of $REPS (agent)"
  read -r wall bytes fc rr <<<"$(one_run agent)"
  echo "agent,$r,$wall,$bytes,$fc,$rr" >> "$CSV"
  say "  $bytes bytes in $wall s; file copy $fc s; restart + recovery $rr s"
done
say "one run without the agent (mysql client), and one without TLS on the clone connection (REQUIRE NO SSL)"
read -r wall bytes fc rr <<<"$(one_run client)"
echo "client,1,$wall,$bytes,$fc,$rr" >> "$CSV"
read -r wall bytes fc rr <<<"$(one_run client-no-ssl)"
echo "client-no-ssl,1,$wall,$bytes,$fc,$rr" >> "$CSV"

med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
col() { awk -F, -v v="$1" -v c="$2" 'NR > 1 && $1 == v { print $c }' "$CSV"; }
mbs() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / 1e6 / s }'; }
W=$(col agent 3 | med) B=$(col agent 4 | med) F=$(col agent 5 | med) R=$(col agent 6 | med)
CW=$(col client 3) CB=$(col client 4) CF=$(col client 5)
NW=$(col client-no-ssl 3) NB=$(col client-no-ssl 4) NF=$(col client-no-ssl 5)
{
  echo "### CLONE plugin benchmark: MySQL 8.0.33, serve seeding an empty replica"
  echo
  echo "$(date -u '+%F %H:%M') UTC, $SIZE dataset (\`bench/blobs.ibd\` = $IBD bytes of incompressible rows), $REPS runs;"
  echo "page cache dropped before each run: $CACHE_DROPPED. \`bench/clone-plugin-bench.sh --size $SIZE --reps $REPS\`."
  echo
  echo "| | agent (\`serve\`, supervised recipient) | mysql client alone (1 run) | client, REQUIRE NO SSL (1 run) |"
  echo "|---|---|---|---|"
  echo "| bytes cloned (clone_progress) | $B | $CB | $NB |"
  echo "| wall s, min / median / max (CLONE to restarted server Completed) | $(col agent 3 | sort -n | head -1) / **$W** / $(col agent 3 | sort -n | tail -1) | $CW | $NW |"
  echo "| **MB/s** end to end (median) | **$(mbs "$B" "$W")** | $(mbs "$CB" "$CW") | $(mbs "$NB" "$NW") |"
  echo "| FILE COPY stage s (median) / MB/s | $F / $(mbs "$B" "$F") | $CF / $(mbs "$CB" "$CF") | $NF / $(mbs "$NB" "$NF") |"
  echo "| restart + recovery s (median) | $R | | |"
  echo
  echo "Machine: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average at end $(cut -d' ' -f1-3 /proc/loadavg)."
} > "$OUT/clone-plugin.md"
cat "$OUT/clone-plugin.md"
