# Pod sandboxes and their network. Sourced by bin/local-cluster.
#
# netns mode (root): bridge <name>-br = $SUBNET.1/24; pod N = netns <name>-mysql-N with eth0 = $SUBNET.(10+N),
# a veth <name>-vN on the bridge, and a sandbox process (cluster/sandbox.sh -> sleep) that holds the pod's UTS
# namespace (hostname mysql-N) and mount namespace (hosts file, volumes). Pod processes enter all three.
# loopback mode: no sandbox; pods share 127.0.0.1 and differ by port (see settings.sh).

network_check_free() {
  [ "$MODE" = netns ] || return 0
  local br; br=$(bridge_name)
  ip link show "$br" >/dev/null 2>&1 &&
    die "bridge $br already exists: another cluster named '$NAME' is up (bin/local-cluster down, or set LOCAL_CLUSTER_NAME)"
  local used
  used=$(ip -4 -o addr show | awk -v p="$SUBNET." 'index($4, p) == 1 && !found {print $2; found = 1}')
  [ -z "$used" ] || die "subnet $SUBNET.0/24 is already used by interface $used: set LOCAL_CLUSTER_SUBNET to a free one, e.g. 10.79.0"
  used=$(ip -4 route show | awk -v p="$SUBNET." 'index($1, p) == 1 && !found {print $0; found = 1}')
  [ -z "$used" ] || die "subnet $SUBNET.0/24 is already routed ($used): set LOCAL_CLUSTER_SUBNET to a free one"
}

network_up() {
  [ "$MODE" = netns ] || return 0
  local br; br=$(bridge_name)
  ip link add "$br" type bridge
  ip addr add "$SUBNET.1/24" dev "$br"
  ip link set "$br" up
  # With br_netfilter loaded, bridged pod-to-pod packets traverse the FORWARD chain, whose policy is DROP on
  # hosts running Docker: let this bridge's own traffic through (removed again by network_down).
  if [ "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null)" = 1 ] && command -v iptables >/dev/null; then
    iptables -I FORWARD -i "$br" -o "$br" -j ACCEPT -m comment --comment "local-cluster $NAME" 2>/dev/null &&
      touch "$BASE/iptables-rule" || true
  fi
}

network_down() {
  [ "$MODE" = netns ] || return 0
  local br; br=$(bridge_name)
  if [ -f "$BASE/iptables-rule" ]; then
    iptables -D FORWARD -i "$br" -o "$br" -j ACCEPT -m comment --comment "local-cluster $NAME" 2>/dev/null || true
  fi
  ip link del "$br" 2>/dev/null || true
}

# The hosts file every pod sees as /etc/hosts: the headless Service's names of the pods that exist now.
# It is bind-mounted into running pods, so it is rewritten in place (same inode), never replaced.
hosts_write() {
  local n content
  content="127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
"
  if [ "$MODE" = netns ]; then
    for ((n = 0; n < $(replicas); n++)); do
      content+="$(pod_ip "$n")	mysql-$n.mysql.default.svc.cluster.local mysql-$n.mysql mysql-$n
"
    done
  fi
  printf '%s' "$content" > "$BASE/hosts"
}

sandbox_pid() { cat "$(pod_run "$1")/sandbox.pid" 2>/dev/null; }

sandbox_alive() {
  [ "$MODE" = netns ] || return 0
  local pid; pid=$(sandbox_pid "$1")
  [ -n "$pid" ] && [ "$(ip netns identify "$pid" 2>/dev/null)" = "$(pod_netns "$1")" ]
}

sandbox_up() {
  local n=$1
  [ "$MODE" = netns ] || return 0
  local ns veth dir run
  ns=$(pod_netns "$n"); veth=$(pod_veth "$n"); dir=$(pod_dir "$n"); run=$(pod_run "$n")
  ip netns add "$ns"
  ip link add "$veth" type veth peer name eth0 netns "$ns"
  ip link set "$veth" master "$(bridge_name)" up
  ip -n "$ns" addr add "$(pod_ip "$n")/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$SUBNET.1"
  # ip netns exec, unshare (without --fork), setsid (not a group leader here) and the script's own exec all
  # replace themselves, so $! ends up being the pod's sleep.
  setsid ip netns exec "$ns" unshare --uts --mount --propagation private -- \
    "$LC_ROOT/cluster/sandbox.sh" "mysql-$n" "$BASE/hosts" "$dir/data" "$dir/conf.d" "$BASE/config-map" "$dir/etc-mysql" \
    >>"$(pod_logs "$n")/sandbox.log" 2>&1 </dev/null &
  echo $! > "$run/sandbox.pid"
  local pid=$! deadline=$((SECONDS + 10))
  until [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = sleep ]; do
    kill -0 "$pid" 2>/dev/null || die "pod mysql-$n: sandbox exited: $(tail -5 "$(pod_logs "$n")/sandbox.log")"
    [ $SECONDS -lt $deadline ] || die "pod mysql-$n: sandbox not ready in 10 s: $(tail -5 "$(pod_logs "$n")/sandbox.log")"
    sleep 0.05
  done
}

# Stops whatever still runs in the pod's netns (the sandbox last), then deletes the netns and its veth.
sandbox_down() {
  local n=$1
  [ "$MODE" = netns ] || return 0
  local ns pid; ns=$(pod_netns "$n")
  if ip netns list | awk -v ns="$ns" '$1 == ns {found = 1} END {exit !found}'; then
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    local deadline=$((SECONDS + 10))
    while [ -n "$(ip netns pids "$ns" 2>/dev/null)" ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    ip netns del "$ns" 2>/dev/null || true
  fi
  ip link del "$(pod_veth "$n")" 2>/dev/null || true
  rm -f "$(pod_run "$n")/sandbox.pid"
}

# Runs a command inside pod N (like kubectl exec): in its namespaces, or in loopback mode in its dir.
pexec() {
  local n=$1; shift
  if [ "$MODE" = netns ]; then
    local pid; pid=$(sandbox_pid "$n")
    [ -n "$pid" ] || die "pod mysql-$n is not running"
    nsenter -t "$pid" -n -u -m -- "$@"
  else
    (cd "$(pod_dir "$n")" && "$@")
  fi
}
