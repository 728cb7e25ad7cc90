#!/bin/sh
# A single-node Slurm for the array-job test of junkan batch (#12), as in
# shared/notes/slurm-single-node.md. `.ci/slurm.sh start` installs and
# starts munge, slurmctld and slurmd (state in a scratch directory, whose
# path goes to /tmp/junkan-slurm.dir) and waits for the node to be idle;
# `.ci/slurm.sh stop` stops the daemons by their pid files.
set -eu
case "${1:-}" in
start)
	if sinfo -h -o %t 2>/dev/null | grep -q idle; then exit 0; fi
	command -v slurmctld >/dev/null || { apt-get update && apt-get install -y --no-install-recommends slurm-wlm munge; }
	D=$(mktemp -d /tmp/junkan-slurm.XXXXXX)
	echo "$D" > /tmp/junkan-slurm.dir
	mkdir -p /run/munge /etc/munge /etc/slurm "$D/state" "$D/spool" "$D/log"
	[ -f /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
	chown -R munge:munge /etc/munge /run/munge
	chmod 400 /etc/munge/munge.key
	pgrep -x munged >/dev/null || munged --force
	H=$(hostname -s)
	MEM=$(( $(free -m | awk '/Mem:/{print $2}') - 1024 ))
	cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/log/slurmctld.log
SlurmdLogFile=$D/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
NodeName=$H CPUs=$(nproc) RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
	slurmctld
	slurmd
	for _ in $(seq 60); do
		sinfo -h -o %t 2>/dev/null | grep -q idle && exit 0
		sleep 1
	done
	echo "slurm: node not idle after 60 s" >&2
	sinfo >&2 || true
	exit 1
	;;
stop)
	[ -f /tmp/junkan-slurm.dir ] || exit 0
	D=$(cat /tmp/junkan-slurm.dir)
	for p in "$D/slurmd.pid" "$D/slurmctld.pid"; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true
	done
	rm -f /tmp/junkan-slurm.dir
	;;
*)
	echo "usage: .ci/slurm.sh start|stop" >&2
	exit 2
	;;
esac
