# The containers of a pod: processes started in the pod's sandbox, tracked by pid files in pods/mysql-N/run/,
# logging to logs/mysql-N/<container>.log. Sourced by bin/local-cluster.
#
#   agent pods: init (agent.jar init) -> mysqld -> serve (agent.jar serve)
#   bash pods:  init-mysql + clone-mysql (the tutorial's bash) -> mysqld -> sidecar (the tutorial's ncat server)

# A container's environment, as a pod spec gives it: nothing from the caller's shell except AGENT_* variables
# (the way to hand the agent a flag, like env: in the manifest), the pod's HOSTNAME, and the password Secret.
pod_environment() {
  local n=$1 v
  for v in $(compgen -e); do
    case $v in AGENT_*) ;; *) unset "$v" 2>/dev/null || true ;; esac
  done
  export PATH=$SYSTEM_PATH LANG=C.UTF-8 HOME=${LC_HOME:-/root}
  [ "$MODE" = netns ] && export HOSTNAME="mysql-$n"
  if [ -f "$BASE/secrets/mysql-password" ]; then
    MYSQL_PASSWORD=$(<"$BASE/secrets/mysql-password"); export MYSQL_PASSWORD
  fi
}

# The last K lines a container wrote since its latest start banner, indented.
last_run_tail() {  # log-file K
  awk '/^---- local-cluster: starting/ { n = 0 } { buf[++n] = $0 } END { for (i = 1; i <= n; i++) print buf[i] }' "$1" |
    grep -v '^---- local-cluster:' | tail -n "$2" | sed 's/^/    /'
}

log_banner() {  # log-file what
  printf -- '---- local-cluster: %s at %s ----\n' "$2" "$(date -u +%FT%T.%3NZ)" >> "$1"
}

# Starts "$@" in pod N in the background; stdout+stderr appended to LOG. Sets SPAWNED_PID (the command's own pid:
# setsid, nsenter and exec all replace themselves). With detach=1 it gets its own session, so it outlives this
# command and a Ctrl-C of it (mysqld and sidecars); init stays in our session.
pod_spawn() {  # n detach log cmd...
  local n=$1 detach=$2 log=$3; shift 3
  local sandbox=; [ "$MODE" = netns ] && sandbox=$(sandbox_pid "$n")
  (
    pod_environment "$n"
    cd "$(pod_dir "$n")"
    local pre=()
    [ "$detach" = 1 ] && pre=(setsid)
    [ -n "$sandbox" ] && pre+=(nsenter -t "$sandbox" -n -u -m --)
    exec "${pre[@]}" "$@"
  ) >>"$log" 2>&1 </dev/null &
  SPAWNED_PID=$!
  # Until nsenter has run, the child is still in the host's namespaces and pid_of_pod would call it dead (seen on
  # a loaded machine: a restarted agent reported as exited). Wait for it to enter the pod, or to die.
  if [ -n "$sandbox" ]; then
    local netns; netns=$(pod_netns "$n") deadline=$((SECONDS + 10))
    while kill -0 "$SPAWNED_PID" 2>/dev/null && [ "$(ip netns identify "$SPAWNED_PID" 2>/dev/null)" != "$netns" ] \
        && [ $SECONDS -lt $deadline ]; do
      sleep 0.02
    done
  fi
}

# ---- processes by pid file ------------------------------------------------------------------------------
# A pid belongs to pod N only if it still runs in the pod's netns (netns mode) or names this cluster's base dir
# on its command line (loopback mode): a stale pid file must never make us signal someone else's process.
pid_of_pod() {  # n pidfile -> prints pid if alive and ours
  local n=$1 f=$2 pid
  pid=$(cat "$f" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [ "$MODE" = netns ]; then
    [ "$(ip netns identify "$pid" 2>/dev/null)" = "$(pod_netns "$n")" ] || return 1
  else
    # (no `| grep -q` under pipefail: grep quitting early can fail the pipeline with SIGPIPE)
    local cmdline; cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == *"$BASE"* ]] || return 1
  fi
  echo "$pid"
}

container_alive() { pid_of_pod "$1" "$(pod_run "$1")/$2.pid" >/dev/null; }

# MySQL's mysqld is restarted by its supervisor after a clone: between two runs only the supervisor is alive.
mysqld_container_alive() { container_alive "$1" mysqld || container_alive "$1" mysqld-supervisor; }

# TERM, then KILL after the grace period (the pod's terminationGracePeriodSeconds).
container_stop() {  # n name grace-seconds [signal]
  local n=$1 name=$2 grace=$3 sig=${4:-TERM} f pid
  f="$(pod_run "$n")/$name.pid"
  if pid=$(pid_of_pod "$n" "$f"); then
    kill "-$sig" "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  fi
  rm -f "$f"
}

# Pod termination: TERM to every container at once, KILL to those still running after the grace period.
containers_stop_all() {  # n grace-seconds name...
  local n=$1 grace=$2 name pid pids=(); shift 2
  for name in "$@"; do
    if pid=$(pid_of_pod "$n" "$(pod_run "$n")/$name.pid"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  local deadline=$((SECONDS + grace))
  for pid in "${pids[@]}"; do
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  for name in "$@"; do rm -f "$(pod_run "$n")/$name.pid"; done
}

# ---- init containers -------------------------------------------------------------------------------------
agent_cmd() { echo "$JAVA $JAVA_OPTS -jar $BASE/agent.jar"; }

# Runs the pod's init containers in the foreground. A failed init container is restarted with a back-off, as
# the kubelet does, up to LOCAL_CLUSTER_INIT_RESTARTS times (default 2).
containers_init() {
  local n=$1 restarts=${LOCAL_CLUSTER_INIT_RESTARTS:-2} attempt=0 delay=2
  while :; do
    if init_once "$n"; then return 0; fi
    attempt=$((attempt + 1))
    [ "$attempt" -le "$restarts" ] || return 1
    say "mysql-$n: init failed; restarting it in ${delay}s (restart $attempt of $restarts), as the kubelet would"
    sleep "$delay"; delay=$((delay * 2))
  done
}

init_once() {
  local n=$1 logs dir rc
  logs=$(pod_logs "$n"); dir=$(pod_dir "$n")
  if [ "$(pod_kind "$n")" = bash ]; then
    local step
    for step in init-mysql clone-mysql; do
      log_banner "$logs/$step.log" "starting $step (the tutorial's bash)"
      pod_spawn "$n" 0 "$logs/$step.log" bash "$LC_ROOT/cluster/legacy/$step.sh"
      echo "$SPAWNED_PID" > "$dir/run/init.pid"
      rc=0; wait "$SPAWNED_PID" || rc=$?
      rm -f "$dir/run/init.pid"
      echo "---- local-cluster: $step exited $rc" >> "$logs/$step.log"
      [ "$rc" = 0 ] || { say "mysql-$n: $step exited $rc; its last lines ($logs/$step.log):"; last_run_tail "$logs/$step.log" 12; return 1; }
    done
    return 0
  fi
  local args=(init)
  if [ "$MODE" = loopback ]; then
    # No UTS namespace, volumes or DNS: say explicitly what the pod spec would have given.
    args+=(--hostname "mysql-$n" --config-map-dir "$BASE/config-map" --conf-dir "$dir/conf.d" --data-dir "$dir/data")
    local d
    # Earlier peers first (the tutorial's order), then the later ones that exist (a rebuild, or a replica whose
    # primary is gone); in netns mode init finds them by their names.
    for ((d = n - 1; d >= 0; d--)); do args+=(--donor "127.0.0.1:$(pod_agent_port "$d")"); done
    for ((d = n + 1; d < $(replicas); d++)); do args+=(--donor "127.0.0.1:$(pod_agent_port "$d")"); done
  fi
  log_banner "$logs/init.log" "starting init: agent.jar ${args[*]}"
  # shellcheck disable=SC2046
  pod_spawn "$n" 0 "$logs/init.log" $(agent_cmd) "${args[@]}"
  echo "$SPAWNED_PID" > "$dir/run/init.pid"
  rc=0; wait "$SPAWNED_PID" || rc=$?
  rm -f "$dir/run/init.pid"
  echo "---- local-cluster: init exited $rc" >> "$logs/init.log"
  [ "$rc" = 0 ] || { say "mysql-$n: init exited $rc; its last lines ($logs/init.log):"; last_run_tail "$logs/init.log" 12; return 1; }
}

# ---- the mysql container ---------------------------------------------------------------------------------
# The image's /etc/mysql/my.cnf: server basics, then the conf.d that init filled (server-id.cnf, primary.cnf or
# replica.cnf), exactly as the tutorial mounts the emptyDir at /etc/mysql/conf.d.
write_my_cnf() {
  local n=$1 dir logs cnf
  dir=$(pod_dir "$n"); logs=$(pod_logs "$n"); cnf=$dir/etc-mysql/my.cnf
  mkdir -p "$dir/etc-mysql/conf.d"
  {
    echo "# The mysql container image's my.cnf (written by bin/local-cluster)."
    echo "[mysqld]"
    [ "$(id -u)" = 0 ] && echo "user=root"
    if [ "$MODE" = netns ]; then
      echo "datadir=/var/lib/mysql"
      echo "port=3306"
      echo "bind-address=0.0.0.0"
    else
      echo "datadir=$dir/data"
      echo "port=$(pod_mysql_port "$n")"
      echo "bind-address=127.0.0.1"
    fi
    echo "socket=$dir/run/mysqld.sock"
    echo "pid-file=$dir/run/mysql-$n.pid"
    echo "log-error=$logs/mysqld.log"
    echo "skip-name-resolve"
    echo "innodb-buffer-pool-size=64M"
    flavor_my_cnf_lines
    echo
    if [ "$MODE" = netns ]; then echo '!includedir /etc/mysql/conf.d/'; else echo "!includedir $dir/conf.d"; fi
  } > "$cnf"
}

my_cnf_path() {  # as seen from inside the pod
  if [ "$MODE" = netns ]; then echo /etc/mysql/my.cnf; else echo "$(pod_dir "$1")/etc-mysql/my.cnf"; fi
}

# The tool's own client (kubectl exec ... mysql): inside the pod, over TCP to the local mysqld.
sql_exec() {  # n mariadb-args...
  local n=$1; shift
  (
    [ -f "$BASE/secrets/mysql-password" ] && { MYSQL_PWD=$(<"$BASE/secrets/mysql-password"); export MYSQL_PWD; }
    pexec "$n" "$(flavor_client)" --no-defaults --connect-timeout=3 -h127.0.0.1 -P"$(pod_mysql_port "$n")" -uroot "$@"
  )
}

mysqld_answers() { sql_exec "$1" -N -B -e 'SELECT 1' >/dev/null 2>&1; }

# Up and accepting connections, whatever the credentials (mariadb-admin ping exits 0 even on "access denied"):
# on first boot the root password is not set yet.
mysqld_alive() {
  pexec "$1" "$(flavor_admin)" --no-defaults --connect-timeout=3 -h127.0.0.1 -P"$(pod_mysql_port "$1")" -uroot ping >/dev/null 2>&1
}

mysqld_start() {
  is_mysql && { mysql80_start "$@"; return; }
  local n=$1 dir logs first_boot=0
  dir=$(pod_dir "$n"); logs=$(pod_logs "$n")
  if [ ! -d "$dir/data/mysql" ]; then
    if [ "$n" != 0 ]; then
      die "mysql-$n: init finished but $dir/data has no mysql/; refusing to start mysqld on an empty or partial data dir (see $logs/init.log)"
    fi
    # The mysql image's entrypoint: initialise an empty data dir on first boot.
    log_banner "$logs/install.log" "first boot: mariadb-install-db"
    pod_spawn "$n" 0 "$logs/install.log" mariadb-install-db --defaults-file="$(my_cnf_path "$n")" --user="$(id -un)" \
      --auth-root-authentication-method=normal --skip-test-db
    wait "$SPAWNED_PID" || die "mysql-$n: mariadb-install-db failed: $(tail -5 "$logs/install.log")"
    first_boot=1
  fi
  log_banner "$logs/mysqld.log" "starting mariadbd"
  pod_spawn "$n" 1 "$logs/mysqld.log" mariadbd --defaults-file="$(my_cnf_path "$n")"
  echo "$SPAWNED_PID" > "$dir/run/mysqld.pid"
  mysqld_await_alive "$n" "$SPAWNED_PID" mariadbd
  if [ "$first_boot" = 1 ]; then
    mysqld_first_boot_users "$n" || die "mysql-$n: creating root@'%' on first boot failed (see above)"
  fi
}

# MySQL: every pod's mysqld initialises an empty data dir (replicas are seeded by serve's CLONE afterwards), and
# runs under cluster/mysqld-supervisor.sh, which starts it again when a clone ends with RESTART (exit 16).
mysql80_start() {
  local n=$1 dir logs
  dir=$(pod_dir "$n"); logs=$(pod_logs "$n")
  [ -d "$dir/data/mysql" ] || mysql80_initialize "$n"
  log_banner "$logs/mysqld.log" "starting mysqld (MySQL 8.0.33) under cluster/mysqld-supervisor.sh"
  rm -f "$dir/run/mysqld.pid"
  pod_spawn "$n" 1 "$logs/mysqld.log" bash "$LC_ROOT/cluster/mysqld-supervisor.sh" "$dir/run/mysqld.pid" \
    "$(flavor_server)" --defaults-file="$(my_cnf_path "$n")"
  echo "$SPAWNED_PID" > "$dir/run/mysqld-supervisor.pid"
  mysqld_await_alive "$n" "$SPAWNED_PID" mysqld
}

# Until the new server answers; dies with its log's tail when PID (the server or its supervisor) exits first.
mysqld_await_alive() {  # n pid name
  local n=$1 pid=$2 name=$3 logs deadline=$((SECONDS + 120))
  logs=$(pod_logs "$n")
  until mysqld_alive "$n"; do
    kill -0 "$pid" 2>/dev/null || die "mysql-$n: $name exited during start-up; last lines of $logs/mysqld.log:
$(tail -15 "$logs/mysqld.log")"
    [ $SECONDS -lt $deadline ] || die "mysql-$n: $name does not answer after 120 s; see $logs/mysqld.log"
    sleep 0.1
  done
}

# As the image's entrypoint with MYSQL_ALLOW_EMPTY_PASSWORD (or MYSQL_ROOT_PASSWORD): root may connect from other
# hosts, which replicas and the backup tool do. The password travels on stdin, escaped, never on argv.
mysqld_first_boot_users() {
  local n=$1 secret=$BASE/secrets/mysql-password pw=""
  if [ -f "$secret" ]; then
    pw=$(<"$secret"); pw=${pw//\\/\\\\}; pw=${pw//\'/\\\'}
    # mariadb-install-db made root@localhost, @127.0.0.1 and @::1 (and @<hostname>, unusable with skip-name-resolve):
    # every usable one gets the password.
    local hosts h sql
    hosts=$(pexec "$n" mariadb --no-defaults -h127.0.0.1 -P"$(pod_mysql_port "$n")" -uroot -N -B \
      -e "SELECT QUOTE(host) FROM mysql.user WHERE user = 'root' AND host IN ('localhost', '127.0.0.1', '::1')")
    sql="CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$pw';
GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    for h in $hosts; do sql+="
ALTER USER 'root'@$h IDENTIFIED BY '$pw';"; done
    pexec "$n" mariadb --no-defaults -h127.0.0.1 -P"$(pod_mysql_port "$n")" -uroot <<<"$sql"
  else
    pexec "$n" mariadb --no-defaults -h127.0.0.1 -P"$(pod_mysql_port "$n")" -uroot <<SQL
CREATE USER IF NOT EXISTS 'root'@'%';
GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;
SQL
  fi
}

# ---- sidecars --------------------------------------------------------------------------------------------
sidecar_name() { if [ "$(pod_kind "$1")" = bash ]; then echo sidecar; else echo serve; fi; }

# True when any pod, running or not, is (or was created as) a tutorial bash pod.
cluster_has_bash_pods() {
  local n
  [ -f "$BASE/migration" ] && return 0
  for ((n = 0; n < $(replicas); n++)); do
    [ "$(pod_kind "$n")" = bash ] && return 0
  done
  return 1
}

sidecar_start() {
  local n=$1 dir logs
  dir=$(pod_dir "$n"); logs=$(pod_logs "$n")
  if [ "$(pod_kind "$n")" = bash ]; then
    log_banner "$logs/sidecar.log" "starting the tutorial's xtrabackup sidecar (bash + ncat)"
    pod_spawn "$n" 1 "$logs/sidecar.log" bash "$LC_ROOT/cluster/legacy/xtrabackup-sidecar.sh"
    echo "$SPAWNED_PID" > "$dir/run/sidecar.pid"
    return
  fi
  local args=(serve)
  # A cluster with tutorial (bash) pods is a migration: their clone-mysql sends no request and needs the raw stream.
  if cluster_has_bash_pods; then args+=(--legacy-raw-stream); fi
  if [ "$MODE" = loopback ]; then
    args+=(--hostname "mysql-$n" --data-dir "$dir/data" --conf-dir "$dir/conf.d" --listen "127.0.0.1:$(pod_agent_port "$n")"
           --mysql-port "$(pod_mysql_port "$n")" --source-host 127.0.0.1 --source-port "$(pod_mysql_port 0)")
    local d
    if is_mysql; then for ((d = n - 1; d >= 0; d--)); do args+=(--clone-donor "127.0.0.1:$(pod_mysql_port "$d")"); done; fi
  fi
  log_banner "$logs/serve.log" "starting serve: agent.jar ${args[*]}"
  # shellcheck disable=SC2046
  pod_spawn "$n" 1 "$logs/serve.log" $(agent_cmd) "${args[@]}"
  echo "$SPAWNED_PID" > "$dir/run/serve.pid"
}

# HTTP status of the agent's endpoint, or 000 when nothing answers.
agent_http() {  # n path
  curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 \
    "http://$(pod_ip "$1"):$(pod_agent_port "$1")$2" 2>/dev/null || true
}

# The tutorial's sidecar must not be probed by connecting: every connection starts a backup.
sidecar_listening() {
  local n=$1 port; port=$(pod_agent_port "$n")
  if [ "$MODE" = netns ]; then
    [ -n "$(ip netns exec "$(pod_netns "$n")" ss -Hltn "sport = :$port" 2>/dev/null)" ]
  else
    [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]
  fi
}
