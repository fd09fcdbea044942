# The status table. Sourced by bin/local-cluster.
#
# POD  KIND  ROLE  SERVER-ID  MYSQLD  IO/SQL  LAG  SOURCE  ROWS  AGENT  ADDRESS
# ROLE is what the server says: replica (has a replication source), primary (writable, no source), or "-".
# ROWS counts test.messages (the demo table). AGENT is /readyz of serve, or the bash sidecar's listen state.

status_row() {
  local n=$1 kind mysqld="down" sid="-" role="-" io="-" lag="-" src="-" rows="-" agent="-"
  kind=$(pod_kind "$n")
  if ! pod_running "$n"; then
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "mysql-$n" "$kind" - - "not running" - - - - - -
    return
  fi
  if container_alive "$n" init; then mysqld="init running"; fi
  if container_alive "$n" mysqld; then
    mysqld="starting"
    local basics
    if basics=$(sql_exec "$n" -N -B -e 'SELECT @@server_id, @@read_only' 2>/dev/null); then
      mysqld="up"
      read -r sid ro <<<"$basics"
      local slave
      slave=$(sql_exec "$n" -E -e 'SHOW SLAVE STATUS' 2>/dev/null || true)
      if [ -n "$slave" ]; then
        role=replica
        io="$(slave_field "$slave" Slave_IO_Running)/$(slave_field "$slave" Slave_SQL_Running)"
        lag=$(slave_field "$slave" Seconds_Behind_Master)
        [ "$lag" = NULL ] && lag="-"
        src="$(slave_field "$slave" Master_Host):$(slave_field "$slave" Master_Port)"
      elif [ "$ro" = 0 ]; then
        role=primary
      fi
      rows=$(sql_exec "$n" -N -B -e 'SELECT COUNT(*) FROM test.messages' 2>/dev/null || echo "-")
    fi
  fi
  if [ "$kind" = bash ]; then
    if container_alive "$n" sidecar && sidecar_listening "$n"; then agent="ncat listening"; else agent="down"; fi
  else
    case $(agent_http "$n" /readyz) in
      200) agent="ready" ;;
      000) agent="down" ;;
      *)   agent="not ready" ;;
    esac
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "mysql-$n" "$kind" "$role" "$sid" "$mysqld" "$io" "$lag" "$src" \
    "$rows" "$agent" "$(pod_ip "$n"):$(pod_mysql_port "$n")/$(pod_agent_port "$n")"
}

slave_field() {  # "SHOW SLAVE STATUS\G" output, field name
  awk -v f="$2" -F': ' '{ sub(/^ +/, "", $1) } $1 == f { print $2; exit }' <<<"$1"
}

# Like column -t (not installed everywhere): pads tab-separated fields to the widest value in each column.
align_columns() {
  awk -F'\t' '{ rows[NR] = $0; for (i = 1; i <= NF; i++) if (length($i) > w[i]) w[i] = length($i) }
    END { for (r = 1; r <= NR; r++) { n = split(rows[r], f, "\t"); line = ""
            for (i = 1; i <= n; i++) line = line (i < n ? sprintf("%-" w[i] "s  ", f[i]) : f[i]); print line } }'
}

status_table() {
  local n
  {
    printf 'POD\tKIND\tROLE\tSERVER-ID\tMYSQLD\tIO/SQL\tLAG\tSOURCE\tROWS\tAGENT\tADDRESS(mysql/agent)\n'
    for ((n = 0; n < $(replicas); n++)); do status_row "$n"; done
  } | align_columns
  local kept=() d
  for d in "$BASE"/pods/mysql-*; do
    [ -d "$d" ] || continue
    n=${d##*-}
    [ "$n" -ge "$(replicas)" ] && kept+=("mysql-$n")
  done
  [ ${#kept[@]} -eq 0 ] || echo "(scaled down, data kept for a later scale-up: ${kept[*]})"
}
