#!/usr/bin/env bash
# Brings up a single-node Slurm inside DIR (munge with its own key and
# socket, slurmctld and slurmd on localhost, state and spool under DIR) and
# waits until the node is idle. Source it: `. slurm_up.sh DIR`; it exports
# SLURM_CONF and defines slurm_down, which stops every daemon it started.
# Returns 77 (the test is skipped) when Slurm or munge is not installed.
slurm_dir="$1"
for tool in munged mungekey slurmctld slurmd sbatch sinfo; do
  command -v "$tool" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin"
  command -v "$tool" >/dev/null 2>&1 || {
    echo "SKIP: $tool is not installed (Debian: apt-get install slurm-wlm munge)"
    return 77
  }
done
mkdir -p "$slurm_dir"/{state,spool,munge}
chmod 700 "$slurm_dir" "$slurm_dir/munge"
slurm_pids=()
slurm_down() {
  local pid
  for pid in "${slurm_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${slurm_pids[@]}"; do wait "$pid" 2>/dev/null; done
  slurm_pids=()
}

mungekey --create --keyfile="$slurm_dir/munge/munge.key" --force >/dev/null 2>&1 \
  || dd if=/dev/urandom of="$slurm_dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$slurm_dir/munge/munge.key"
munged --foreground --force --socket="$slurm_dir/munge/munge.sock" \
  --key-file="$slurm_dir/munge/munge.key" --pid-file="$slurm_dir/munge/munged.pid" \
  --log-file="$slurm_dir/munge/munged.log" --seed-file="$slurm_dir/munge/munged.seed" \
  >"$slurm_dir/munge/stdout.log" 2>&1 &
slurm_pids+=($!)

host=$(hostname -s)
ctld_port=$((20000 + RANDOM % 20000))
slurmd_port=$((ctld_port + 1))
cpus=$(nproc)
export SLURM_CONF="$slurm_dir/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=consimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$slurm_dir/munge/munge.sock
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
StateSaveLocation=$slurm_dir/state
SlurmdSpoolDir=$slurm_dir/spool
SlurmctldPidFile=$slurm_dir/slurmctld.pid
SlurmdPidFile=$slurm_dir/slurmd.pid
SlurmctldLogFile=$slurm_dir/slurmctld.log
SlurmdLogFile=$slurm_dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

for _ in $(seq 50); do [ -S "$slurm_dir/munge/munge.sock" ] && break; sleep 0.1; done
slurmctld -D -i -f "$SLURM_CONF" >"$slurm_dir/slurmctld.out" 2>&1 &
slurm_pids+=($!)
slurmd -D -N "$host" -f "$SLURM_CONF" >"$slurm_dir/slurmd.out" 2>&1 &
slurm_pids+=($!)
slurm_ready=""
for _ in $(seq 150); do
  if [ "$(sinfo -h -N -o %T 2>/dev/null)" = "idle" ]; then slurm_ready=1; break; fi
  sleep 0.2
done
if [ -z "$slurm_ready" ]; then
  echo "single-node Slurm did not come up; logs:"
  tail -n 20 "$slurm_dir/slurmctld.log" "$slurm_dir/slurmd.log" "$slurm_dir/munge/munged.log" 2>/dev/null
  slurm_down
  return 1
fi
return 0
