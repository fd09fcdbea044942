# Instance settings: where a cluster lives and how it is addressed. Sourced by bin/local-cluster.
#
# Everything of one cluster sits under one base dir; `up` records the settings in $BASE/cluster.env so later
# commands only need the base dir. Two clusters with different base dirs never share a namespace, bridge,
# subnet or port: the name (and so the netns/bridge names) is derived from the base dir unless given.

LC_DEFAULT_DIR=/tmp/local-cluster
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

settings_resolve() {
  BASE=${LOCAL_CLUSTER_DIR:-$LC_DEFAULT_DIR}
  BASE=${BASE%/}
  case $BASE in /*) ;; *) BASE=$PWD/$BASE ;; esac
  if [ -f "$BASE/cluster.env" ]; then
    # shellcheck disable=SC1091
    . "$BASE/cluster.env"
    return
  fi
  local hash; hash=$(printf '%s' "$BASE" | sha1sum | cut -c1-6)
  if [ "$BASE" = "$LC_DEFAULT_DIR" ]; then
    NAME=${LOCAL_CLUSTER_NAME:-lc}
    SUBNET=${LOCAL_CLUSTER_SUBNET:-10.78.0}
  else
    NAME=${LOCAL_CLUSTER_NAME:-lc$hash}
    SUBNET=${LOCAL_CLUSTER_SUBNET:-10.78.$((1 + 0x${hash:0:2} % 250))}
  fi
  FLAVOR=${LOCAL_CLUSTER_FLAVOR:-mariadb}
  MODE=${LOCAL_CLUSTER_MODE:-auto}
  if [ "$MODE" = auto ]; then
    if [ "$(id -u)" = 0 ]; then MODE=netns; else MODE=loopback; fi
  fi
  PORT_BASE=${LOCAL_CLUSTER_PORT_BASE:-13306}
  JAVA_OPTS=${LOCAL_CLUSTER_JAVA_OPTS:-$(tr "\n" " " < "$LC_ROOT/docker/agent-jvm.options")}
  READY_TIMEOUT=${LOCAL_CLUSTER_READY_TIMEOUT:-180}
  settings_validate
}

settings_validate() {
  flavor_validate
  [[ $NAME =~ ^[a-z][a-z0-9]{0,9}$ ]] ||
    die "instance name '$NAME' must be 1-10 lowercase letters/digits starting with a letter (it prefixes netns and link names, 15 chars max)"
  [[ $SUBNET =~ ^[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}$ ]] ||
    die "subnet '$SUBNET' must be the first three octets of a /24, e.g. 10.78.0"
  case $MODE in
    netns) [ "$(id -u)" = 0 ] || die "netns mode needs root (sudo); without root use LOCAL_CLUSTER_MODE=loopback" ;;
    loopback) ;;
    *) die "mode '$MODE' must be auto, netns or loopback" ;;
  esac
  [[ $PORT_BASE =~ ^[0-9]+$ ]] && [ "$PORT_BASE" -ge 1024 ] && [ "$PORT_BASE" -le 60000 ] ||
    die "port base '$PORT_BASE' must be a number between 1024 and 60000"
}

settings_save() {
  mkdir -p "$BASE"
  { printf 'NAME=%q\nSUBNET=%q\nMODE=%q\nPORT_BASE=%q\n' "$NAME" "$SUBNET" "$MODE" "$PORT_BASE"
    printf 'JAVA_OPTS=%q\nREADY_TIMEOUT=%q\nJAVA=%q\nFLAVOR=%q\n' "$JAVA_OPTS" "$READY_TIMEOUT" "$JAVA" "$FLAVOR"
  } > "$BASE/cluster.env"
}

# ---- names and addresses of pod N ------------------------------------------------------------------------
pod_name()    { echo "mysql-$1"; }
pod_dir()     { echo "$BASE/pods/mysql-$1"; }
pod_logs()    { echo "$BASE/logs/mysql-$1"; }
pod_run()     { echo "$BASE/pods/mysql-$1/run"; }
pod_netns()   { echo "$NAME-mysql-$1"; }
pod_veth()    { echo "$NAME-v$1"; }
bridge_name() { echo "$NAME-br"; }
pod_ip() {
  if [ "$MODE" = netns ]; then echo "$SUBNET.$((10 + $1))"; else echo 127.0.0.1; fi
}
pod_mysql_port() {
  if [ "$MODE" = netns ]; then echo 3306; else echo $((PORT_BASE + 10 * $1)); fi
}
pod_agent_port() {
  if [ "$MODE" = netns ]; then echo 3307; else echo $((PORT_BASE + 10 * $1 + 1)); fi
}
pod_kind() { cat "$(pod_dir "$1")/kind" 2>/dev/null || echo agent; }

# The StatefulSet's .spec.replicas: pods 0..N-1 exist. Data dirs of higher ordinals may remain (PVCs).
replicas()     { cat "$BASE/replicas" 2>/dev/null || echo 0; }
set_replicas() { echo "$1" > "$BASE/replicas"; }

die()  { echo "local-cluster: $*" >&2; exit 1; }
say()  { echo "local-cluster: $*"; }
