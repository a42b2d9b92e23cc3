#!/usr/bin/env bash
# Stops what scripts/cluster-up.sh started (the client, the silos, etcd, redis), by the pids it recorded:
# SIGTERM first, SIGKILL for whatever is still running after 15 seconds. Logs and certificates stay; data and
# Redis' password file are removed.
#   OC_STATE_DIR   the directory cluster-up.sh used (default: /tmp/orleans-config-cluster)
set -uo pipefail
state="${OC_STATE_DIR:-${TMPDIR:-/tmp}/orleans-config-cluster}"
pids_file="$state/pids"
if [[ ! -s "$pids_file" ]]; then
  echo "cluster-down: nothing to stop (no $pids_file)"
  exit 0
fi

# Running, and not a zombie waiting for cluster-up.sh (when it stops what it started after a failure) to reap it.
alive() { [[ -r "/proc/$1/stat" ]] && [[ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]]; }

# Newest first: the client and the silos before the servers they use.
mapfile -t entries < <(tac "$pids_file")
for entry in "${entries[@]}"; do
  read -r name pid <<<"$entry"
  if alive "$pid"; then
    # Each was started in a session of its own: signal its whole process group.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    deadline=$((SECONDS + 15))
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    if alive "$pid"; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
      echo "stopped $name (pid $pid, killed)"
    else
      echo "stopped $name (pid $pid)"
    fi
  else
    echo "$name (pid $pid) was not running"
  fi
done
rm -f "$pids_file"
rm -rf "$state/redis" "$state/etcd" "$state/redis.conf"
echo "logs remain in $state"
