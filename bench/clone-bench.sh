#!/usr/bin/env bash
# clone-bench.sh -- how fast a replica gets its data: the Kubernetes tutorial's bash pipeline against
# `agent.jar serve` -> `agent.jar init`, same donor, same data, same run, alternating.
#
#   (a) bash:  ncat --listen --send-only -c "mariadb-backup --backup --stream=xbstream ..."
#              -> ncat --recv-only | mbstream -x -C dir ; mariadb-backup --prepare ; sync
#   (b) agent: java -jar agent.jar serve (donor, ordinal 0)
#              -> java -jar agent.jar init (receiver; includes prepare and the fsynced hand-over) ; sync
#
# Every process runs under /usr/bin/time -v (peak RSS, user/sys CPU incl. waited-for children). The page
# cache is dropped before every run so the donor reads its files from disk. MB = 10^6 bytes of stream.
# Results: <out>/latest.csv (one row per run) and <out>/latest.md (tables + machine). See --help.
set -euo pipefail
export LC_ALL=C

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)

usage() {
  cat <<EOF
usage: sudo bench/clone-bench.sh [--size 4G] [--reps 3] [--out bench/results] [--work /var/tmp/agent-bench]
                                 [--starts 5] [--only bash|agent] [--no-ceilings] [--build] [--profile] [--keep-logs]
                                 [--write-load RATE]

  --size SIZE    InnoDB data in the donor (bench.blobs, incompressible rows): 256M, 1G, 4G (default 4G).
                 Created once under --work and reused by later runs of the same size.
  --reps N       runs of each variant, alternating bash/agent (default 3)
  --out DIR      where latest.md and latest.csv go (default bench/results)
  --work DIR     dataset + scratch; must be a real disk, not tmpfs (default /var/tmp/agent-bench)
  --starts N     extra 'serve' starts timed for start-to-accepting (default 5)
  --settle S     seconds to wait after dropping the page cache (default 10; see drop_caches)
  --only V       run only one variant (debugging); the ratio is then left empty
  --no-ceilings  skip the one-off ceilings (backup tool to /dev/null, dd writes)
  --build        rebuild agent/target/agent.jar even if present
  --keep-logs    keep every process's log and /usr/bin/time output under --work (kept anyway on failure)
  --write-load RATE
                 during every clone, a writer inserts RATE bytes/s of 1 KiB RANDOM_BYTES rows (e.g. 8M) into
                 bench.writes on the donor, in a statement every 100 ms (the achieved rate is logged and reported).
                 The donor runs with the shipped redo size (cluster/config-map/primary.cnf). Compare with a run
                 without it: clone MB/s under write load beside idle.
  --profile      sample /proc during every run (CPU per process and thread, I/O bytes, dirty page cache,
                 iowait) with bench/proc-sampler.py; summaries go to <out>/latest-profile.txt. Costs a few
                 % of one CPU, so the throughput of a profiled run is slightly pessimistic.

env: AGENT_JAVA_OPTS  JVM flags for serve and init (default: $DEFAULT_JAVA_OPTS)
     AGENT_JAR        the jar (default agent/target/agent.jar)
     BENCH_PORT_BASE  mysqld on BASE, serve on BASE+1, ncat on BASE+2 (default 18306, or the next free range)
EOF
}
# The agent's JVM flags, as the image and k8s/base/statefulset.yaml use them (docker/agent-jvm.options; a test keeps
# them equal). -Xms8m among them: on a big machine the default initial heap would be all of -Xmx, and touching it
# would cost ~10 MiB of RSS that the pods, whose limits give a small default, do not spend.
DEFAULT_JAVA_OPTS="$(tr '\n' ' ' < "$ROOT/docker/agent-jvm.options")"

SIZE=4G REPS=3 OUT=$ROOT/bench/results WORK=/var/tmp/agent-bench STARTS=5 ONLY= CEILINGS=1 BUILD=0 PROFILE=0 KEEP_LOGS=0 SETTLE=10
WRITE_LOAD=0
while [ $# -gt 0 ]; do
  case $1 in
    --size) SIZE=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --starts) STARTS=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --no-ceilings) CEILINGS=0; shift ;;
    --build) BUILD=1; shift ;;
    --profile) PROFILE=1; shift ;;
    --keep-logs) KEEP_LOGS=1; shift ;;
    --write-load) WRITE_LOAD=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
case $ONLY in ''|bash|agent) ;; *) echo "--only takes bash or agent, not '$ONLY'" >&2; exit 2 ;; esac
[[ $REPS =~ ^[1-9][0-9]*$ ]] || { echo "--reps must be a positive integer" >&2; exit 2; }
[[ $STARTS =~ ^[0-9]+$ ]] || { echo "--starts must be a number" >&2; exit 2; }

to_bytes() {  # 256M, 4G, 4GiB, 1T, plain bytes -> bytes (binary units)
  local v=${1%iB} ; v=${v%B}
  case $v in
    *[kK]) echo $(( ${v%?} * 1024 )) ;;
    *[mM]) echo $(( ${v%?} * 1024 * 1024 )) ;;
    *[gG]) echo $(( ${v%?} * 1024 * 1024 * 1024 )) ;;
    *[tT]) echo $(( ${v%?} * 1024 * 1024 * 1024 * 1024 )) ;;
    *) echo $(( v )) ;;
  esac
}
SIZE_BYTES=$(to_bytes "$SIZE") || { echo "--size: cannot read '$SIZE' (use e.g. 256M or 4G)" >&2; exit 2; }
[ "$SIZE_BYTES" -ge $((64 * 1024 * 1024)) ] || { echo "--size must be at least 64M" >&2; exit 2; }
WRITE_BYTES=$(to_bytes "$WRITE_LOAD") || { echo "--write-load: cannot read '$WRITE_LOAD' (use e.g. 8M)" >&2; exit 2; }
# The redo size the project ships: a clone under write load is measured with the settings users get.
REDO_SIZE=$(sed -n 's/^innodb_log_file_size *= *//p' "$ROOT/cluster/config-map/primary.cnf" | tail -1)
[ -n "$REDO_SIZE" ] || { echo "no innodb_log_file_size in cluster/config-map/primary.cnf" >&2; exit 2; }

JAVA_OPTS=${AGENT_JAVA_OPTS:-$DEFAULT_JAVA_OPTS}
JAR=${AGENT_JAR:-$ROOT/agent/target/agent.jar}
AGENT_JAR_GIVEN=${AGENT_JAR:-}
BASE=${BENCH_PORT_BASE:-18306}
# The flags below are ours; anything from the caller's environment would silently change what is measured.
while read -r v; do [ -n "$v" ] && unset "$v"; done < <(compgen -e | grep -E '^AGENT_' || true)
unset MYSQL_PASSWORD

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b - a}'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# ------------------------------------------------------------------ dependencies
IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1
SUDO=; [ $IS_ROOT = 1 ] || SUDO=sudo
apt_install() {
  log "installing Debian packages: $*"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "could not install $* (run as root, or install them by hand)"
}
bash "$ROOT/bin/setup-deps" >/dev/null || die "bin/setup-deps failed: it installs mariadb-server, mariadb-backup, ncat"
need=()
[ -x /usr/bin/time ] || need+=(time)
command -v ss >/dev/null || need+=(iproute2)
command -v pgrep >/dev/null || need+=(procps)
[ $PROFILE = 0 ] || command -v python3 >/dev/null || need+=(python3)
command -v java >/dev/null || need+=(openjdk-17-jdk-headless)
if [ $BUILD = 1 ] || [ ! -f "$JAR" ]; then command -v mvn >/dev/null || need+=(maven); fi
[ ${#need[@]} -eq 0 ] || apt_install "${need[@]}"
MARIADBD=$(command -v mariadbd || echo /usr/sbin/mariadbd)
for t in "$MARIADBD" mariadb mariadb-admin mariadb-install-db mariadb-backup mbstream ncat java; do
  command -v "$t" >/dev/null || die "'$t' not found after bin/setup-deps"
done
# A jar older than the sources would measure yesterday's code.
if [ "$ONLY" != bash ] && [ -z "${AGENT_JAR_GIVEN:-}" ] && [ -f "$JAR" ] \
   && [ -n "$(find "$ROOT/pom.xml" "$ROOT/init" "$ROOT/agent/pom.xml" "$ROOT/agent/src" -newer "$JAR" \( -name '*.java' -o -name pom.xml -o -name '*.properties' \) -print -quit)" ]; then
  log "$JAR is older than its sources: rebuilding"; BUILD=1
fi
if [ "$ONLY" != bash ] && { [ $BUILD = 1 ] || [ ! -f "$JAR" ]; }; then
  log "building $JAR (mvn -B -q -pl agent -am package -DskipTests)"
  (cd "$ROOT" && mvn -B -q -pl agent -am package -DskipTests) || die "the build failed; see the Maven output above"
fi
[ "$ONLY" = bash ] || [ -f "$JAR" ] || die "no jar at $JAR"

# ------------------------------------------------------------------ work dir, scratch, cleanup
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
[ "$(stat -f -c %T "$WORK")" != tmpfs ] || die "$WORK is on tmpfs: the benchmark must write to a disk; pass --work /some/disk/dir"
ports_free() { local p; for p in "$@"; do [ -z "$(ss -Htan "sport = :$p")" ] || return 1; done; }
# Tests elsewhere on the machine may hold ports: without BENCH_PORT_BASE, move up until three are free.
until ports_free $BASE $((BASE + 1)) $((BASE + 2)); do
  [ -z "${BENCH_PORT_BASE:-}" ] && [ $BASE -lt 18906 ] || die "ports $BASE-$((BASE + 2)) are in use; set BENCH_PORT_BASE to a free range"
  BASE=$((BASE + 10))
done
MYSQL_PORT=$BASE SERVE_PORT=$((BASE + 1)) NCAT_PORT=$((BASE + 2))
DONOR=$WORK/donor-$(( SIZE_BYTES / 1048576 ))M   # kept: the dataset of this size
RUN=$(mktemp -d "$WORK/run.XXXXXX")
L=$RUN/logs; mkdir -p "$L" "$DONOR"
CSV=$RUN/runs.csv
echo "variant,rep,started,load1_start,load1_end,cache_dropped,bytes,wall_s,mb_s,transfer_s,prepare_s,sync_s,donor_user_s,donor_sys_s,recv_user_s,recv_sys_s,donor_rss_kib,recv_rss_kib,donor_jvm_hwm_kib,recv_jvm_hwm_kib,accept_ms" > "$CSV"

PIDS=()        # everything we started in the background, newest last
MYSQLD_PID=
OK=0
cleanup() {
  local rc=$? i p
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    p=${PIDS[i]}
    kill -0 "$p" 2>/dev/null || continue
    pkill -TERM -P "$p" 2>/dev/null || true     # the JVM under /usr/bin/time, the child of ncat
    kill -TERM "$p" 2>/dev/null || true
  done
  ! declare -F stop_mysqld >/dev/null || stop_mysqld
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do kill -KILL "${PIDS[i]}" 2>/dev/null || true; done
  rm -rf "$RUN"/clone-* "$RUN"/dd.bin
  if [ $OK = 1 ] && [ $KEEP_LOGS = 0 ]; then rm -rf "$RUN"; else log "kept the logs of this run in $L"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

CAN_DROP=0
if [ $IS_ROOT = 1 ] && sync && echo 3 > /proc/sys/vm/drop_caches 2>/dev/null; then CAN_DROP=1; fi
[ $CAN_DROP = 1 ] || log "NOTE: cannot drop the page cache (not root?): runs read a warm cache; the report says so"
# After the drop, wait SETTLE seconds: on VMs with virtio-balloon free page reporting the freed pages go back to
# the host in the background, and a run that starts before that reuses still-backed pages, which makes page-cache
# writes (the bash side's main cost) look cheaper than on a node whose free memory has been idle. Measured here:
# 4 GB of fresh page cache cost 2.7 s right after a drop, 6.0 s after 5 s, 9-11 s after 10-20 s.
drop_caches() { sync; [ $CAN_DROP = 0 ] || { echo 3 > /proc/sys/vm/drop_caches; sleep "$SETTLE"; }; }
CACHE=$([ $CAN_DROP = 1 ] && echo yes || echo no)

# ------------------------------------------------------------------ the donor mysqld and its dataset
SQL() { mariadb --no-defaults -h127.0.0.1 -P"$MYSQL_PORT" -uroot -N -B -e "$*"; }
start_mysqld() {
  local user=(); [ $IS_ROOT = 1 ] && user=(--user=root)
  "$MARIADBD" --no-defaults "${user[@]}" --datadir="$DONOR/data" --port="$MYSQL_PORT" --socket="$DONOR/mysqld.sock" \
      --pid-file="$DONOR/mysqld.pid" --log-error="$DONOR/mysqld.err" --bind-address=127.0.0.1 --skip-name-resolve \
      --server-id=100 --log-bin=mysql-bin --binlog-format=ROW \
      --innodb-buffer-pool-size=256M --innodb-log-file-size="$REDO_SIZE" --innodb-flush-log-at-trx-commit=2 \
      >/dev/null 2>&1 &
  MYSQLD_PID=$!
  local i
  for i in $(seq 1 600); do
    mariadb-admin --no-defaults -h127.0.0.1 -P"$MYSQL_PORT" -uroot ping >/dev/null 2>&1 && return 0
    kill -0 "$MYSQLD_PID" 2>/dev/null || break
    sleep 0.1
  done
  tail -5 "$DONOR/mysqld.err" >&2 || true
  return 1
}
stop_mysqld() {
  [ -n "$MYSQLD_PID" ] || return 0
  mariadb-admin --no-defaults -h127.0.0.1 -P"$MYSQL_PORT" -uroot shutdown >/dev/null 2>&1 || kill -TERM "$MYSQLD_PID" 2>/dev/null || true
  local i; for i in $(seq 1 600); do kill -0 "$MYSQLD_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$MYSQLD_PID" 2>/dev/null || true
  wait "$MYSQLD_PID" 2>/dev/null || true
  MYSQLD_PID=
}
install_db() {
  rm -rf "$DONOR/data"; mkdir -p "$DONOR/data"
  local user=(); [ $IS_ROOT = 1 ] && user=(--user=root)
  mariadb-install-db --no-defaults "${user[@]}" --datadir="$DONOR/data" --auth-root-authentication-method=normal \
      --skip-test-db > "$L/install-db.log" 2>&1 || die "mariadb-install-db failed; see $L/install-db.log"
}
IBD=$DONOR/data/bench/blobs.ibd
ibd_size() { stat -c %s "$IBD" 2>/dev/null || echo 0; }
prepare_dataset() {
  if [ ! -d "$DONOR/data/mysql" ] || ! start_mysqld; then
    log "creating the donor data dir in $DONOR/data"
    stop_mysqld; install_db; start_mysqld || die "mariadbd did not start; see $DONOR/mysqld.err"
  fi
  local have; have=$(ibd_size)
  # A dataset is "the right size" from the target up to one insert batch (128 MiB) + 10% of InnoDB slack above it.
  if [ "$have" -ge "$SIZE_BYTES" ] && [ "$have" -le $(( SIZE_BYTES + SIZE_BYTES / 10 + 256 * 1024 * 1024 )) ]; then
    log "reusing the dataset: bench/blobs.ibd = $have bytes"
    return
  fi
  local t0; t0=$(now)
  SQL "CREATE DATABASE IF NOT EXISTS bench;
       CREATE TABLE IF NOT EXISTS bench.blobs (id BIGINT AUTO_INCREMENT PRIMARY KEY, b VARBINARY(1024) NOT NULL) ENGINE=InnoDB;"
  [ "$have" -le "$SIZE_BYTES" ] || SQL "TRUNCATE TABLE bench.blobs"
  log "growing bench.blobs from $(ibd_size) to $SIZE_BYTES bytes (1 KiB RANDOM_BYTES rows, binlog off)"
  while [ "$(ibd_size)" -lt "$SIZE_BYTES" ]; do
    # 128k incompressible rows per statement from the SEQUENCE engine; no point writing them to the binlog.
    SQL "SET SESSION sql_log_bin=0; INSERT INTO bench.blobs(b) SELECT RANDOM_BYTES(1024) FROM bench.seq_1_to_131072;" \
      || die "insert failed; see $DONOR/mysqld.err"
  done
  # A clean shutdown writes every dirty page, so each run starts from the same idle, checkpointed server.
  stop_mysqld; start_mysqld || die "mariadbd did not restart; see $DONOR/mysqld.err"
  log "dataset ready in $(elapsed "$t0" "$(now)") s: bench/blobs.ibd = $(ibd_size) bytes"
}

# ------------------------------------------------------------------ measurement helpers
# tv FILE -> "user sys maxrss_kib" from a /usr/bin/time -v file
tv() { awk -F': ' '/User time/{u=$2} /System time/{s=$2} /Maximum resident/{r=$2} END{print u+0, s+0, r+0}' "$1"; }
# ticks PID -> utime+stime+cutime+cstime in seconds (the process and its waited-for children so far)
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); printf "%.2f %.2f\n", ($12+$14)/hz, ($13+$15)/hz}' "/proc/$1/stat"; }
hwm_of() { awk '/VmHWM/{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
listening() { [ -n "$(ss -Hltn "sport = :$1")" ]; }
wait_listening() {  # port pid: until listening, the process dies, or 30 s
  local i; for i in $(seq 1 3000); do listening "$1" && return 0; kill -0 "$2" 2>/dev/null || return 1; sleep 0.01; done; return 1
}
# Connect and send a harmless request (a silent client would be served a raw backup stream): true once accepted.
probe() { (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n' >&3) 2>/dev/null; }
child_of() {  # the process /usr/bin/time started
  local i c; for i in $(seq 1 500); do c=$(pgrep -P "$1" | head -1) && [ -n "$c" ] && { echo "$c"; return 0; }; sleep 0.01; done; return 1
}
row() { local IFS=,; echo "$*" >> "$CSV"; }
SAMPLER=
profile_start() {  # tag name=pid...: sample /proc until profile_stop
  [ $PROFILE = 1 ] || return 0
  local tag=$1; shift
  python3 "$HERE/proc-sampler.py" --out "$L/profile-$tag.tsv" "$@" > "$L/profile-$tag.txt" 2>&1 &
  SAMPLER=$!; PIDS+=("$SAMPLER")
}
profile_stop() {  # tag title
  [ $PROFILE = 1 ] && [ -n "$SAMPLER" ] || return 0
  kill -TERM "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=
  { echo "== $2"; cat "$L/profile-$1.txt"; echo; } >> "$RUN/profile.txt"
}
tail_log() { echo "--- last lines of $1:" >&2; tail -n "${2:-20}" "$1" >&2 || true; }

BACKUP=(mariadb-backup --backup --slave-info --stream=xbstream --host=127.0.0.1 --port="$MYSQL_PORT" --user=root)
check_clone() {  # dir label: prepared, with the system schema and the dataset at full size
  # MariaDB 10.11 says log-applied, Percona full-prepared; the agent may have removed the file after its own check.
  [ ! -f "$1/xtrabackup_checkpoints" ] || grep -qE 'backup_type = (full-prepared|log-applied)' "$1/xtrabackup_checkpoints" \
    || die "$2: $1 is not a prepared backup ($(grep backup_type "$1/xtrabackup_checkpoints"))"
  [ -d "$1/mysql" ] || die "$2: $1 has no mysql/"
  [ "$(stat -c %s "$1/bench/blobs.ibd" 2>/dev/null || echo 0)" -eq "$(ibd_size)" ] || die "$2: bench/blobs.ibd differs in size from the donor's"
}

# ------------------------------------------------------------------ the write load (--write-load)
WRITER= WRITER_ROWS0= WRITER_T0=
start_writer() {
  [ "$WRITE_BYTES" -gt 0 ] || return 0
  SQL "DROP TABLE IF EXISTS bench.writes;
       CREATE TABLE bench.writes (id BIGINT AUTO_INCREMENT PRIMARY KEY, b VARBINARY(1024) NOT NULL) ENGINE=InnoDB;"
  local rows=$(( WRITE_BYTES / 10 / 1024 )); [ "$rows" -ge 1 ] || rows=1
  WRITER_T0=$(now)
  # One client, one statement per 100 ms tick; a server that falls behind is not made to catch up in a burst.
  ( perl -MTime::HiRes=time,sleep -e '$|=1; my $n = shift; my $next = time;
      while (1) { print "INSERT INTO bench.writes(b) SELECT RANDOM_BYTES(1024) FROM bench.seq_1_to_$n;\n";
                  $next += 0.1; my $w = $next - time; if ($w > 0) { sleep $w } else { $next = time } }' "$rows" \
      | mariadb --no-defaults -h127.0.0.1 -P"$MYSQL_PORT" -uroot ) > "$L/writer.log" 2>&1 &
  WRITER=$!; PIDS+=("$WRITER")
}
stop_writer() {  # label: stops the writer, logs and records the rate it reached
  [ -n "$WRITER" ] || return 0
  pkill -TERM -P "$WRITER" 2>/dev/null || true; wait "$WRITER" 2>/dev/null || true; WRITER=
  local rows secs mbs; rows=$(SQL "SELECT COUNT(*) FROM bench.writes"); secs=$(elapsed "$WRITER_T0" "$(now)")
  mbs=$(awk -v r="$rows" -v s="$secs" 'BEGIN{printf "%.1f", r * 1024 / s / 1e6}')
  log "$1: the writer inserted $rows rows of 1 KiB in $secs s: $mbs MB/s (target $WRITE_LOAD/s)"
  echo "write_achieved_$1=$mbs" >> "$RUN/meta.txt"
}

# ------------------------------------------------------------------ (a) the tutorial's bash pipeline
run_bash() {
  local rep=$1 d=$RUN/clone-bash p=$L/bash-$rep
  rm -rf "$d"; mkdir -p "$d"
  # The tutorial's sidecar: each connection runs a streaming backup whose stdout goes to the socket.
  (cd "$RUN" && exec /usr/bin/time -v -o "$p.donor.time" ncat --listen --send-only 127.0.0.1 "$NCAT_PORT" \
      -c "exec /usr/bin/time -v -o $p.backup.time ${BACKUP[*]} 2>$p.backup.log") &
  local srv=$!; PIDS+=("$srv")
  wait_listening "$NCAT_PORT" "$srv" || die "bash: ncat did not listen on $NCAT_PORT"
  drop_caches
  start_writer
  local la0 t0 t1 t2 t3 rcv rc=0; la0=$(load1); t0=$(now)
  ( /usr/bin/time -v -o "$p.ncat.time" ncat -v --recv-only 127.0.0.1 "$NCAT_PORT" 2>"$p.ncat.log" \
      | /usr/bin/time -v -o "$p.mbstream.time" mbstream -x -C "$d" ) &
  rcv=$!; PIDS+=("$rcv")
  profile_start "bash-$rep" donor="$srv" receiver="$rcv"
  wait "$rcv" || rc=$?
  t1=$(now)
  stop_writer "bash-$rep"
  profile_stop "bash-$rep" "bash rep $rep: donor = ncat + mariadb-backup, receiver = ncat | mbstream (prepare not sampled)"
  [ $rc = 0 ] || { tail_log "$p.backup.log"; tail_log "$p.ncat.log"; die "bash: the stream or mbstream failed (exit $rc)"; }
  /usr/bin/time -v -o "$p.prepare.time" mariadb-backup --prepare --target-dir="$d" > "$p.prepare.log" 2>&1 \
    || { tail_log "$p.prepare.log"; die "bash: prepare failed"; }
  t2=$(now); sync; t3=$(now)
  wait "$srv" || true
  grep -q 'completed OK' "$p.backup.log" || { tail_log "$p.backup.log"; die "bash: the backup did not complete OK"; }
  check_clone "$d" bash
  local bytes; bytes=$(sed -n 's/.* \([0-9]*\) bytes received.*/\1/p' "$p.ncat.log")
  [ -n "$bytes" ] || die "bash: no byte count in $p.ncat.log"
  local du ds dr bu bs br nu ns nr mu ms mr pu ps pr
  read -r du ds dr < <(tv "$p.donor.time")
  read -r bu bs br < <(tv "$p.backup.time")
  # ncat reaps its -c child only when the child's exit beats the socket's EOF: it counted the backup
  # (whose RSS is 10x ncat's) exactly when its peak RSS is at least the backup's.
  if [ "$dr" -ge "$br" ]; then du=$(awk -v a="$du" -v b="$bu" 'BEGIN{print a - b}'); ds=$(awk -v a="$ds" -v b="$bs" 'BEGIN{print a - b}'); fi
  du=$(awk -v a="$du" -v b="$bu" 'BEGIN{print a + b}'); ds=$(awk -v a="$ds" -v b="$bs" 'BEGIN{print a + b}')
  [ "$dr" -ge "$br" ] || dr=$br
  read -r nu ns nr < <(tv "$p.ncat.time")
  read -r mu ms mr < <(tv "$p.mbstream.time")
  read -r pu ps pr < <(tv "$p.prepare.time")
  local wall; wall=$(elapsed "$t0" "$t3")
  row bash "$rep" "$(date -u +%FT%TZ)" "$la0" "$(load1)" "$CACHE" "$bytes" "$wall" \
      "$(awk -v b="$bytes" -v w="$wall" 'BEGIN{printf "%.1f", b / w / 1e6}')" \
      "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")" "$(elapsed "$t2" "$t3")" \
      "$du" "$ds" "$(awk -v a="$nu" -v b="$mu" -v c="$pu" 'BEGIN{print a+b+c}')" \
      "$(awk -v a="$ns" -v b="$ms" -v c="$ps" 'BEGIN{print a+b+c}')" \
      "$dr" "$(printf '%s\n' "$nr" "$mr" "$pr" | sort -n | tail -1)" "" "" ""
  log "bash  rep $rep: $bytes bytes in $wall s ($(tail -1 "$CSV" | cut -d, -f9) MB/s), load $la0 -> $(load1)"
  rm -rf "$d"
}

# ------------------------------------------------------------------ (b) the agent
CM=$RUN/config-map
mkdir -p "$CM"
printf '[mysqld]\nlog-bin\n' > "$CM/primary.cnf"
printf '[mysqld]\nread_only\n' > "$CM/replica.cnf"
SERVE_ARGS=(serve --hostname mysql-0 --listen "127.0.0.1:$SERVE_PORT" --mysql-host 127.0.0.1 --mysql-port "$MYSQL_PORT"
            --mysql-user root --source-host 127.0.0.1 --source-port "$MYSQL_PORT" --data-dir "$DONOR/data")
SERVE_TIME= SERVE_PID= SERVE_JVM= ACCEPT_MS=
start_serve() {  # tag: starts serve under /usr/bin/time and times start -> first accepted connection
  local t0 t1 deadline
  t0=$(now); deadline=$(( ${t0%.*} + 60 ))
  /usr/bin/time -v -o "$L/serve-$1.time" java $JAVA_OPTS -jar "$JAR" "${SERVE_ARGS[@]}" > "$L/serve-$1.log" 2>&1 &
  SERVE_TIME=$!; PIDS+=("$SERVE_TIME")
  until probe "$SERVE_PORT"; do
    kill -0 "$SERVE_TIME" 2>/dev/null || { tail_log "$L/serve-$1.log"; die "agent: serve exited before accepting on $SERVE_PORT"; }
    [ "${EPOCHREALTIME%.*}" -lt $deadline ] || { tail_log "$L/serve-$1.log"; die "agent: serve not accepting after 60 s"; }
  done
  t1=$(now)
  ACCEPT_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.0f", (b - a) * 1000}')
  SERVE_JVM=$(child_of "$SERVE_TIME") || die "agent: cannot find the serve JVM under pid $SERVE_TIME"
}
wait_setup() {  # serve's log: until its one-time replication setup has run (or 10 s)
  local i; for i in $(seq 1 200); do grep -q 'replication setup' "$1" && return 0; sleep 0.05; done
  log "agent: no 'replication setup' line in $1 after 10 s; going on"
}
stop_serve() {
  kill -TERM "$SERVE_JVM" 2>/dev/null || true
  local i; for i in $(seq 1 200); do kill -0 "$SERVE_TIME" 2>/dev/null || break; sleep 0.05; done
  kill -0 "$SERVE_TIME" 2>/dev/null && { log "agent: serve ignored SIGTERM for 10 s; killing it"; kill -KILL "$SERVE_JVM" 2>/dev/null || true; }
  wait "$SERVE_TIME" 2>/dev/null || true
}
# From the agent's own summary lines:
#   init:  "init done: cloned N bytes (F files) from D in T s: X MB/s transfer over Y s, prepare Z s"
#   serve: "backup for C (http) succeeded: N bytes in T s (X MB/s), exit 0"
init_says() { sed -n "/init done: cloned/s/.*$1.*/\\1/p" "$2" | tail -1; }
serve_bytes() { sed -n 's/.*backup for .* succeeded: \([0-9]*\) bytes.*/\1/p' "$1" | tail -1; }
run_agent() {
  local rep=$1 d=$RUN/clone-agent/data p=$L/agent-$rep
  rm -rf "$RUN/clone-agent" "$RUN/conf.d"; mkdir -p "$d" "$RUN/conf.d"
  start_serve "$rep"
  # serve sets replication up right after it listens; let that finish so the clone is measured alone.
  wait_setup "$L/serve-$rep.log"
  drop_caches
  start_writer
  local la0 t0 t1 t2 c0u c0s c1u c1s w0 w1
  read -r c0u c0s < <(cpu_of "$SERVE_JVM")
  w0=$(awk '/^wchar/{print $2}' "/proc/$SERVE_JVM/io")
  la0=$(load1); t0=$(now)
  /usr/bin/time -v -o "$p.init.time" java $JAVA_OPTS -jar "$JAR" init --hostname mysql-1 --donor "127.0.0.1:$SERVE_PORT" \
      --data-dir "$d" --config-map-dir "$CM" --conf-dir "$RUN/conf.d" > "$p.init.log" 2>&1 &
  local it=$!; PIDS+=("$it")
  profile_start "agent-$rep" serve="$SERVE_JVM" init="$it"
  # The JVM's own peak RSS (time -v reports the larger of it and the prepare child): sample VmHWM until exit.
  local jvm hwm=0 h; jvm=$(child_of "$it" || true)
  while kill -0 "$it" 2>/dev/null; do
    if [ -n "$jvm" ]; then h=$(hwm_of "$jvm"); [ "${h:-0}" -gt "$hwm" ] && hwm=$h; fi
    sleep 0.05
  done
  local rc=0; wait "$it" || rc=$?
  t1=$(now); stop_writer "agent-$rep"; sync; t2=$(now)
  profile_stop "agent-$rep" "agent rep $rep: serve JVM (+ mariadb-backup child), init JVM (+ prepare child)"
  [ $rc = 0 ] || { tail_log "$p.init.log" 30; tail_log "$L/serve-$rep.log"; die "agent: init exited with $rc"; }
  read -r c1u c1s < <(cpu_of "$SERVE_JVM")
  w1=$(awk '/^wchar/{print $2}' "/proc/$SERVE_JVM/io")
  local shwm; shwm=$(hwm_of "$SERVE_JVM")
  stop_serve
  check_clone "$d" agent
  local bytes sbytes; bytes=$(init_says 'cloned \([0-9]*\) bytes' "$p.init.log"); sbytes=$(serve_bytes "$L/serve-$rep.log")
  [ -n "$bytes" ] || bytes=$sbytes
  [ -n "$bytes" ] || { bytes=$(( w1 - w0 )); log "agent: no byte count in the logs; using the serve JVM's written bytes ($bytes)"; }
  [ -z "$sbytes" ] || [ "$sbytes" = "$bytes" ] || die "agent: serve sent $sbytes bytes but init received $bytes"
  local iu is ir sr
  read -r iu is ir < <(tv "$p.init.time")
  read -r _ _ sr < <(tv "$L/serve-$rep.time")
  local wall; wall=$(elapsed "$t0" "$t2")
  row agent "$rep" "$(date -u +%FT%TZ)" "$la0" "$(load1)" "$CACHE" "$bytes" "$wall" \
      "$(awk -v b="$bytes" -v w="$wall" 'BEGIN{printf "%.1f", b / w / 1e6}')" \
      "$(init_says 'transfer over \([0-9.]*\) s' "$p.init.log")" "$(init_says 'prepare \([0-9.]*\) s' "$p.init.log")" \
      "$(elapsed "$t1" "$t2")" \
      "$(awk -v a="$c0u" -v b="$c1u" 'BEGIN{printf "%.2f", b - a}')" "$(awk -v a="$c0s" -v b="$c1s" 'BEGIN{printf "%.2f", b - a}')" \
      "$iu" "$is" "$sr" "$ir" "$shwm" "$hwm" "$ACCEPT_MS"
  log "agent rep $rep: $bytes bytes in $wall s ($(tail -1 "$CSV" | cut -d, -f9) MB/s), load $la0 -> $(load1); serve accepted in $ACCEPT_MS ms"
  rm -rf "$RUN/clone-agent"
}
serve_starts() {
  local i shwm
  for i in $(seq 1 "$STARTS"); do
    start_serve "start$i"
    # Idle = listening, replication set up (the JDBC driver loaded), no backup yet.
    wait_setup "$L/serve-start$i.log"
    shwm=$(hwm_of "$SERVE_JVM")
    stop_serve
    row serve-start "$i" "$(date -u +%FT%TZ)" "$(load1)" "$(load1)" no "" "" "" "" "" "" "" "" "" "" "" "" "$shwm" "" "$ACCEPT_MS"
    log "serve start $i: accepting after $ACCEPT_MS ms, idle JVM RSS $((shwm / 1024)) MiB"
  done
}

# ------------------------------------------------------------------ ceilings (one run each)
ceilings() {
  local bytes; bytes=$(awk -F, '$1=="bash"||$1=="agent"{b=$7} END{print b+0}' "$CSV")
  [ "$bytes" -gt 0 ] || bytes=$(ibd_size)
  local la0 t0 t1 u s r
  drop_caches; la0=$(load1); t0=$(now)
  (cd "$RUN" && /usr/bin/time -v -o "$L/ceiling-backup.time" "${BACKUP[@]}" > /dev/null 2> "$L/ceiling-backup.log") \
    || { tail_log "$L/ceiling-backup.log"; die "backup to /dev/null failed"; }
  t1=$(now); read -r u s r < <(tv "$L/ceiling-backup.time")
  row ceiling-backup-devnull 1 "$(date -u +%FT%TZ)" "$la0" "$(load1)" "$CACHE" "$bytes" "$(elapsed "$t0" "$t1")" \
      "$(awk -v b="$bytes" -v a="$t0" -v c="$t1" 'BEGIN{printf "%.1f", b / (c - a) / 1e6}')" "" "" "" "$u" "$s" "" "" "$r" "" "" "" ""
  # The best a receiver could do with this donor: the stream through a pipe straight into one O_DIRECT file.
  rm -f "$RUN/dd.bin"; drop_caches; la0=$(load1); t0=$(now)
  (cd "$RUN" && "${BACKUP[@]}" 2> "$L/ceiling-pipe.log" | /usr/bin/time -v -o "$L/ceiling-pipe.time" \
      dd of="$RUN/dd.bin" bs=1M iflag=fullblock oflag=direct conv=fsync 2>/dev/null) \
    || { tail_log "$L/ceiling-pipe.log"; die "backup | dd oflag=direct failed"; }
  t1=$(now); read -r u s r < <(tv "$L/ceiling-pipe.time")
  row ceiling-backup-pipe-direct 1 "$(date -u +%FT%TZ)" "$la0" "$(load1)" "$CACHE" "$(stat -c %s "$RUN/dd.bin")" "$(elapsed "$t0" "$t1")" \
      "$(awk -v b="$(stat -c %s "$RUN/dd.bin")" -v a="$t0" -v c="$t1" 'BEGIN{printf "%.1f", b / (c - a) / 1e6}')" "" "" "" "" "" "$u" "$s" "" "$r" "" "" ""
  local mib=$(( bytes / 1048576 )) flags
  for flags in "oflag=direct conv=fsync" "conv=fdatasync"; do
    rm -f "$RUN/dd.bin"; drop_caches; la0=$(load1); t0=$(now)
    /usr/bin/time -v -o "$L/ceiling-dd.time" dd if=/dev/zero of="$RUN/dd.bin" bs=1M count="$mib" $flags 2>/dev/null
    t1=$(now); read -r u s r < <(tv "$L/ceiling-dd.time")
    row "ceiling-dd-$([ "${flags#oflag}" != "$flags" ] && echo direct || echo buffered)" 1 "$(date -u +%FT%TZ)" "$la0" "$(load1)" "$CACHE" \
        $((mib * 1048576)) "$(elapsed "$t0" "$t1")" \
        "$(awk -v b=$((mib * 1048576)) -v a="$t0" -v c="$t1" 'BEGIN{printf "%.1f", b / (c - a) / 1e6}')" "" "" "" "" "" "$u" "$s" "" "$r" "" "" ""
  done
  rm -f "$RUN/dd.bin"
}

# ------------------------------------------------------------------ main
machine() {  # key=value lines for the report
  local dev fs
  dev=$(df --output=source "$WORK" | tail -1); fs=$(findmnt -no FSTYPE -T "$WORK")
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu=$(nproc) x $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "memory=$(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "disk=$dev ($fs, $(lsblk -dno SIZE,ROTA "$dev" 2>/dev/null | awk '{print $1 ", rotational=" $2}'))"
  echo "mariadb_backup=$(mariadb-backup --version 2>&1 | grep -o '[0-9]*\.[0-9]*\.[0-9]*-MariaDB' | head -1)"
  echo "java=$(java -version 2>&1 | head -1)"
  echo "ncat=$(ncat --version 2>&1 | grep -o '[0-9]\.[0-9]*' | head -1)"
  echo "agent=$([ "$ONLY" = bash ] && echo - || java -jar "$JAR" --version 2>/dev/null | head -1)"
  echo "java_opts=$JAVA_OPTS"
  echo "backup_cmd=${BACKUP[*]}"
  echo "dataset=$(ibd_size)"
  echo "size=$SIZE"
  echo "reps=$REPS"
  echo "cache_dropped=$CACHE"
  echo "write_load=$([ "$WRITE_BYTES" -gt 0 ] && echo "$WRITE_LOAD" || echo none)"
  echo "redo_size=$REDO_SIZE"
}

prepare_dataset
machine > "$RUN/meta.txt"
echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN/meta.txt"
log "benchmark: $SIZE dataset, $REPS reps, page cache dropped: $CACHE, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$ONLY" = bash ] || [ "$STARTS" = 0 ] || serve_starts
for rep in $(seq 1 "$REPS"); do
  # Alternate who goes first so that drift in the machine's load does not favour one side.
  if [ "$ONLY" = bash ]; then run_bash "$rep"
  elif [ "$ONLY" = agent ]; then run_agent "$rep"
  elif [ $((rep % 2)) = 1 ]; then run_bash "$rep"; run_agent "$rep"
  else run_agent "$rep"; run_bash "$rep"; fi
done
[ $CEILINGS = 0 ] || ceilings
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RUN/meta.txt"
stop_mysqld

mkdir -p "$OUT"
cp "$CSV" "$OUT/latest.csv.tmp" && mv "$OUT/latest.csv.tmp" "$OUT/latest.csv"
[ $PROFILE = 0 ] || cp "$RUN/profile.txt" "$OUT/latest-profile.txt"
awk -f "$HERE/clone-bench-report.awk" "$RUN/meta.txt" "$OUT/latest.csv" > "$OUT/latest.md.tmp" && mv "$OUT/latest.md.tmp" "$OUT/latest.md"
OK=1
cat "$OUT/latest.md"
log "wrote $OUT/latest.md and $OUT/latest.csv"
