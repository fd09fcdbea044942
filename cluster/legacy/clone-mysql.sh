#!/bin/bash
# The tutorial's clone-mysql init container; MariaDB names its tools mbstream and mariadb-backup.
set -ex
# Skip the clone if data already exists.
[[ -d /var/lib/mysql/mysql ]] && exit 0
# Skip the clone on primary (ordinal index 0).
[[ `hostname` =~ -([0-9]+)$ ]] || exit 1
ordinal=${BASH_REMATCH[1]}
[[ $ordinal -eq 0 ]] && exit 0
# Clone data from previous peer.
ncat --recv-only mysql-$(($ordinal-1)).mysql 3307 | mbstream -x -C /var/lib/mysql
# Prepare the backup.
mariadb-backup --prepare --target-dir=/var/lib/mysql
