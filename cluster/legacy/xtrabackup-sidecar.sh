#!/bin/bash
# The tutorial's xtrabackup sidecar, with the two changes MariaDB 10.11 needs (see the testbed):
#  - xtrabackup_binlog_info has three fields (file, position, GTID): read them, not the tutorial's regex;
#  - xtrabackup_slave_info from a GTID replica holds two statements: strip ';' from the last line only.
set -ex
cd /var/lib/mysql
# Determine binlog position of cloned data, if any.
if [[ -f xtrabackup_slave_info && "x$(<xtrabackup_slave_info)" != "x" ]]; then
  # XtraBackup already generated a partial "CHANGE MASTER TO" query
  # because we're cloning from an existing replica. (Need to remove the tailing semicolon!)
  sed -E '$ s/;$//' xtrabackup_slave_info > change_master_to.sql.in
  # Ignore xtrabackup_binlog_info in this case (it's useless).
  rm -f xtrabackup_slave_info xtrabackup_binlog_info
elif [[ -f xtrabackup_binlog_info ]]; then
  # We're cloning directly from primary. Parse binlog position.
  read -r binlog_file binlog_pos _ < xtrabackup_binlog_info
  [[ -n $binlog_file && $binlog_pos =~ ^[0-9]+$ ]] || exit 1
  rm -f xtrabackup_binlog_info xtrabackup_slave_info
  echo "CHANGE MASTER TO MASTER_LOG_FILE='${binlog_file}',\
        MASTER_LOG_POS=${binlog_pos}" > change_master_to.sql.in
fi
# Check if we need to complete a clone by starting replication.
if [[ -f change_master_to.sql.in ]]; then
  echo "Waiting for mysqld to be ready (accepting connections)"
  until mariadb -h 127.0.0.1 -e "SELECT 1"; do sleep 1; done
  echo "Initializing replication from clone position"
  mariadb -h 127.0.0.1 \
        -e "$(<change_master_to.sql.in), \
                MASTER_HOST='mysql-0.mysql', \
                MASTER_USER='root', \
                MASTER_PASSWORD='', \
                MASTER_CONNECT_RETRY=10; \
              START SLAVE;" || exit 1
  # In case of container restart, attempt this at-most-once.
  mv change_master_to.sql.in change_master_to.sql.orig
fi
# Start a server to send backups when requested by peers.
exec ncat --listen --keep-open --send-only --max-conns=1 3307 -c \
  "mariadb-backup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root"
