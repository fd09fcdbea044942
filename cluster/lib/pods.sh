# Pods in StatefulSet order: create (sandbox + volumes), start (init -> mysqld -> sidecar, then readiness),
# delete (stop containers, drop the sandbox, keep the data dir like a PVC). Sourced by bin/local-cluster.

elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

pod_create() {  # n kind
  local n=$1 kind=$2 dir logs
  dir=$(pod_dir "$n"); logs=$(pod_logs "$n")
  [ "$kind" = bash ] && [ "$MODE" != netns ] && die "bash (tutorial) pods need netns mode (root): they use the fixed ports 3306/3307 and DNS names"
  [ "$kind" = bash ] && is_mysql && die "bash (tutorial) pods run MariaDB's tools; the mysql80 flavor has agent pods only"
  [ "$kind" = bash ] && [ -f "$BASE/secrets/mysql-password" ] && die "bash (tutorial) pods use the tutorial's empty root password; unset MYSQL_PASSWORD"
  ports_check_free "$n"
  mkdir -p "$dir/data" "$dir/conf.d" "$dir/run" "$logs"
  echo "$kind" > "$dir/kind"
  write_my_cnf "$n"
  [ "$(replicas)" -gt "$n" ] || set_replicas $((n + 1))
  hosts_write
  sandbox_up "$n"
}

ports_check_free() {
  [ "$MODE" = loopback ] || return 0
  local port
  for port in "$(pod_mysql_port "$1")" "$(pod_agent_port "$1")"; do
    [ -z "$(ss -Hltn "sport = :$port" 2>/dev/null)" ] ||
      die "port $port (mysql-$1) is in use: set LOCAL_CLUSTER_PORT_BASE to a free range (pod N uses base+10N and base+10N+1)"
  done
}

pod_start() {
  local n=$1 t0 t kind
  kind=$(pod_kind "$n")
  t0=$(date +%s.%N); t=$t0
  if ! containers_init "$n"; then
    die "mysql-$n: init failed; logs in $(pod_logs "$n")/ (bin/local-cluster logs $n); tear down with: bin/local-cluster down"
  fi
  say "mysql-$n: init ($kind) done in $(elapsed "$t") s$(init_summary "$n")"
  t=$(date +%s.%N)
  mysqld_start "$n"
  say "mysql-$n: mysqld answers after $(elapsed "$t") s"
  t=$(date +%s.%N)
  sidecar_start "$n"
  pod_wait_ready "$n"
  say "mysql-$n: $(sidecar_name "$n") ready after $(elapsed "$t") s; pod ready in $(elapsed "$t0") s"
}

# One line on what init did, from its log (best effort: the wording is the agent's or the tutorial's set -x trace).
init_summary() {
  local n=$1 log line
  if [ "$(pod_kind "$n")" = bash ]; then
    line=$(last_run_tail "$(pod_logs "$n")/clone-mysql.log" 100 | grep -m1 -o 'ncat --recv-only [^ ]* 3307' || true)
    if [ -n "$line" ]; then echo ": the tutorial's clone-mysql: $line | mbstream -x, then mariadb-backup --prepare"
    else echo ": the tutorial's clone-mysql skipped the clone"; fi
    return 0
  fi
  log="$(pod_logs "$n")/init.log"
  [ -f "$log" ] || return 0
  line=$(last_run_tail "$log" 100 | grep -E 'init done' | tail -1 | sed -E 's/^ *[0-9T:.+-]+ +[A-Z]+ +[A-Za-z]+ - //')
  [ -n "$line" ] && echo ": $line"
  return 0
}

# Readiness as the StatefulSet sees it before starting the next ordinal: the agent's /readyz answers 200; for a
# bash pod (no /readyz), mysqld answers, the sidecar listens and a replica's sidecar has set replication up.
pod_ready() {
  local n=$1
  if [ "$(pod_kind "$n")" = bash ]; then
    mysqld_answers "$n" && sidecar_listening "$n" &&
      { [ "$n" = 0 ] || [ -f "$(pod_dir "$n")/data/change_master_to.sql.orig" ]; }
  else
    [ "$(agent_http "$n" /readyz)" = 200 ]
  fi
}

pod_wait_ready() {
  local n=$1 side deadline=$((SECONDS + READY_TIMEOUT))
  side=$(sidecar_name "$n")
  until pod_ready "$n"; do
    container_alive "$n" "$side" ||
      die "mysql-$n: $side exited; last lines of $(pod_logs "$n")/$side.log:
$(tail -15 "$(pod_logs "$n")/$side.log")"
    mysqld_container_alive "$n" ||
      die "mysql-$n: mysqld exited; last lines of $(pod_logs "$n")/mysqld.log:
$(tail -15 "$(pod_logs "$n")/mysqld.log")"
    [ $SECONDS -lt $deadline ] ||
      die "mysql-$n: not ready after $READY_TIMEOUT s (LOCAL_CLUSTER_READY_TIMEOUT); /readyz says $(agent_http "$n" /readyz); see bin/local-cluster logs $n"
    sleep 0.2
  done
}

# Like deleting the pod: every container gets TERM (mysqld shuts down cleanly), then the sandbox goes. The data
# dir stays (the PVC); conf.d is an emptyDir and goes with the pod.
pod_delete() {
  local n=$1
  containers_stop_all "$n" 60 "$(sidecar_name "$n")" init mysqld mysqld-supervisor
  sandbox_down "$n"
  rm -rf "$(pod_dir "$n")/conf.d" "$(pod_dir "$n")/run"
}

# Like losing the pod's volume (a node's local disk, a deleted PVC): the pod goes, its data dir is wiped, and the
# StatefulSet starts it again on an empty volume, with the same name and ordinal.
pod_lose_volume() {
  local n=$1 data
  data=$(pod_dir "$n")/data
  pod_delete "$n"
  rm -rf "$data"
  mkdir -p "$data"
  say "mysql-$n: volume lost ($data wiped); starting the pod again"
  pod_create "$n" "$(pod_kind "$n")"
  pod_start "$n"
}

pod_running() { [ -d "$(pod_dir "$1")/run" ] && sandbox_alive "$1"; }

# ---- demo: a row written on the primary, read on the last replica ----------------------------------------
demo_run() {
  local last msg t0 got=""
  last=$(($(replicas) - 1))
  msg="hello from mysql-0 at $(date -u +%FT%TZ)"
  echo
  echo "mysql-0> INSERT INTO test.messages VALUES ('$msg');"
  sql_exec 0 -e "CREATE DATABASE IF NOT EXISTS test;
    CREATE TABLE IF NOT EXISTS test.messages (message VARCHAR(250));
    INSERT INTO test.messages VALUES ('$msg');" || die "demo: the write on mysql-0 failed"
  t0=$(date +%s.%N)
  local deadline=$((SECONDS + 30))
  while [ -z "$got" ]; do
    got=$(sql_exec "$last" -N -B -e "SELECT message FROM test.messages WHERE message = '$msg'" 2>/dev/null || true)
    [ -n "$got" ] && break
    [ $SECONDS -lt $deadline ] || die "demo: the row written on mysql-0 did not reach mysql-$last in 30 s"
    sleep 0.1
  done
  echo "mysql-$last> SELECT * FROM test.messages;   (the row arrived after $(elapsed "$t0") s)"
  sql_exec "$last" --table -e "SELECT * FROM test.messages"
  echo
}
