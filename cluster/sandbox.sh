#!/bin/bash
# The pod sandbox (the "pause" container plus the pod's volume mounts). Runs inside the pod's network
# namespace, in fresh UTS and mount namespaces; every process of the pod joins these namespaces later
# with nsenter, the way containers join a pod's sandbox.
#   sandbox.sh <pod-name> <hosts-file> <data-dir> <conf-dir> <config-map-dir> <etc-mysql-dir>
# Paths inside the pod are the tutorial's: /var/lib/mysql (the PVC), /mnt/conf.d (emptyDir, also mounted at
# /etc/mysql/conf.d as in the mysql container), /mnt/config-map (ConfigMap, read-only) and /etc/hosts.
set -euo pipefail
pod=$1 hosts=$2 data=$3 conf=$4 configmap=$5 etcmysql=$6

hostname "$pod"
mount --bind "$hosts" /etc/hosts
# Mount points: the host's mariadb-server package provides /var/lib/mysql and /etc/mysql (bin/setup-deps).
mount --bind "$data" /var/lib/mysql
mount -t tmpfs -o size=1m,mode=755 pod-mnt /mnt
mkdir /mnt/conf.d /mnt/config-map
mount --bind "$conf" /mnt/conf.d
mount --bind "$configmap" /mnt/config-map
mount -o remount,bind,ro /mnt/config-map
mount --bind "$etcmysql" /etc/mysql
mount --bind "$conf" /etc/mysql/conf.d
exec sleep infinity
