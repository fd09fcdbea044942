#!/bin/bash
# The mysql container of a MySQL pod: mysqld under a supervisor, the way mysqld_safe runs it. MYSQLD_PARENT_PID
# tells mysqld that it is supervised, so the RESTART that finishes a CLONE exits with 16 and mysqld is started
# again here. Any other exit (a clean shutdown, kill-mysqld) ends the container, which then stays down.
# usage: mysqld-supervisor.sh PIDFILE MYSQLD ARGS...   (PIDFILE gets mysqld's own pid)
set -u
pidfile=$1; shift
child=
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT
while :; do
  MYSQLD_PARENT_PID=$$ "$@" &
  child=$!
  echo "$child" > "$pidfile"
  # wait returns early when a trapped signal arrives; keep waiting until mysqld itself is gone.
  while :; do
    wait "$child"; rc=$?
    kill -0 "$child" 2>/dev/null || break
  done
  [ "$rc" = 16 ] || exit "$rc"
  printf -- '---- local-cluster: mysqld exited 16 (RESTART, after a clone) at %s: starting it again ----\n' "$(date -u +%FT%T.%3NZ)"
done
