#!/usr/bin/env bash
# The docker-compose topology as processes on 127.0.0.1, without Docker: a real redis-server and etcd, three silos
# (Redis clustering, source state and stream subscriptions in Redis, the etcd and file sources), and a client
# running `watch services`. Everything runs in the background; scripts/cluster-down.sh stops it.
#
# Settings (environment variables, all optional):
#   OC_STATE_DIR      where pids, logs and data go                 (default: /tmp/orleans-config-cluster)
#   OC_CLUSTER_ID     Orleans cluster and service id               (default: orleans-config)
#   OC_REDIS_PORT     redis-server's port                          (default: 16379)
#   OC_ETCD_PORT      etcd's client port                           (default: 12379)
#   OC_ETCD_PEER_PORT etcd's peer port                             (default: the client port + 1)
#   OC_SILO_PORTS     three silo-to-silo ports                     (default: "11111 11112 11113")
#   OC_GATEWAY_PORTS  three gateway ports                          (default: "30000 30001 30002")
#   OC_SILO_DLL, OC_CLI_DLL  built silo and CLI to run             (default: build them, Release)
#   DOTNET            the dotnet host                              (default: dotnet)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
state="${OC_STATE_DIR:-${TMPDIR:-/tmp}/orleans-config-cluster}"
cluster_id="${OC_CLUSTER_ID:-orleans-config}"
redis_port="${OC_REDIS_PORT:-16379}"
etcd_port="${OC_ETCD_PORT:-12379}"
etcd_peer_port="${OC_ETCD_PEER_PORT:-$((etcd_port + 1))}"
read -r -a silo_ports <<<"${OC_SILO_PORTS:-11111 11112 11113}"
read -r -a gateway_ports <<<"${OC_GATEWAY_PORTS:-30000 30001 30002}"
dotnet="${DOTNET:-dotnet}"
start_timeout=90

die() { echo "cluster-up: $*" >&2; exit 1; }

((${#silo_ports[@]} == 3 && ${#gateway_ports[@]} == 3)) || die "OC_SILO_PORTS and OC_GATEWAY_PORTS need three ports each"
for tool in redis-server etcd; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install redis-server etcd-server)"
done
if [[ -s "$state/pids" ]]; then
  while read -r _ pid; do
    kill -0 "$pid" 2>/dev/null && die "already running (pid $pid, see $state/pids); stop it with scripts/cluster-down.sh"
  done <"$state/pids"
fi
# A port something else listens on would let a check below talk to the wrong server.
for port in "$redis_port" "$etcd_port" "$etcd_peer_port" "${silo_ports[@]}" "${gateway_ports[@]}"; do
  if { exec 5<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    exec 5>&-
    die "port $port on 127.0.0.1 is in use; choose others (OC_REDIS_PORT, OC_ETCD_PORT, OC_SILO_PORTS, OC_GATEWAY_PORTS)"
  fi
done
rm -rf "$state"
mkdir -p "$state/redis" "$state/etcd"
: >"$state/pids"

# From here on, a failure stops whatever was started.
up=0
trap '((up)) || { echo "cluster-up: failed; stopping what was started" >&2; OC_STATE_DIR="$state" "$repo/scripts/cluster-down.sh" >&2 || true; }' EXIT

silo_dll="${OC_SILO_DLL:-}"
cli_dll="${OC_CLI_DLL:-}"
if [[ -z "$silo_dll" || -z "$cli_dll" ]]; then
  echo "building the silo and the CLI (Release) ..."
  "$dotnet" build "$repo/silo/OrleansConfig.Silo.csproj" -c Release --nologo -v quiet >"$state/build.log" 2>&1 || { cat "$state/build.log" >&2; die "build failed"; }
  "$dotnet" build "$repo/client/OrleansConfig.Cli.csproj" -c Release --nologo -v quiet >>"$state/build.log" 2>&1 || { cat "$state/build.log" >&2; die "build failed"; }
  silo_dll="$repo/silo/bin/Release/net10.0/OrleansConfig.Silo.dll"
  cli_dll="$repo/client/bin/Release/net10.0/orleans-config.dll"
fi
[[ -f "$silo_dll" && -f "$cli_dll" ]] || die "no built silo or CLI at $silo_dll, $cli_dll"

# Starts NAME in the background, in a session of its own (Ctrl+C here does not reach it), logging to $state/NAME.log.
start() {
  local name="$1"; shift
  setsid "$@" >"$state/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$state/pids"
}

pid_of() { awk -v n="$1" '$1 == n { print $2 }' "$state/pids"; }

# Waits until CHECK succeeds, failing if NAME's process ends first or after $start_timeout seconds.
await() {
  local name="$1" check="$2" deadline=$((SECONDS + start_timeout))
  while true; do
    kill -0 "$(pid_of "$name")" 2>/dev/null || { tail -n 30 "$state/$name.log" >&2; die "$name exited while starting (log: $state/$name.log)"; }
    eval "$check" && return 0
    ((SECONDS < deadline)) || { tail -n 30 "$state/$name.log" >&2; die "$name did not start within ${start_timeout}s (log: $state/$name.log)"; }
    sleep 0.2
  done
}

redis_ready() {
  local reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$redis_port"; } 2>/dev/null || return 1
  printf 'PING\r\n' >&3
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$reply" == +PONG* ]]
}

etcd_ready() {
  local body=""
  { exec 4<>"/dev/tcp/127.0.0.1/$etcd_port"; } 2>/dev/null || return 1
  printf 'GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&4
  body="$(timeout 2 cat <&4 || true)"
  exec 4>&-
  [[ "$body" == *'"health":"true"'* ]]
}

start redis redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" --save "" --appendonly yes
etcd_url="http://127.0.0.1:$etcd_port"
peer_url="http://127.0.0.1:$etcd_peer_port"
start etcd etcd --name oc --data-dir "$state/etcd" --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
  --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" --initial-cluster "oc=$peer_url" --log-level warn
await redis redis_ready
await etcd etcd_ready

redis="127.0.0.1:$redis_port"
# The same keys as docker-compose.yml, as environment variables.
export Orleans__ClusterId="$cluster_id" Orleans__ServiceId="$cluster_id"
export Orleans__Clustering__ProviderType=Redis Orleans__Clustering__ConnectionString="$redis"
export Orleans__GrainStorage__Default__ProviderType=Redis Orleans__GrainStorage__Default__ConnectionString="$redis"
export Orleans__GrainStorage__PubSubStore__ProviderType=Redis Orleans__GrainStorage__PubSubStore__ConnectionString="$redis"
export Orleans__Endpoints__AdvertisedIPAddress=127.0.0.1
export Sources__Etcd__Endpoints="$etcd_url" Sources__File__Path="$repo/examples"

start_silo() {
  local i="$1"
  Orleans__Endpoints__SiloPort="${silo_ports[$((i - 1))]}" Orleans__Endpoints__GatewayPort="${gateway_ports[$((i - 1))]}" \
    start "silo$i" "$dotnet" "$silo_dll"
}
# The first silo sets up the membership table; the others join it.
start_silo 1
await silo1 "grep -q 'Application started' '$state/silo1.log'"
start_silo 2
start_silo 3
await silo2 "grep -q 'Application started' '$state/silo2.log'"
await silo3 "grep -q 'Application started' '$state/silo3.log'"

# The handler client finds the gateways through Redis (Orleans__Clustering__*), as the silos find each other.
start client "$dotnet" "$cli_dll" watch services
up=1

cat <<EOF
OrleansConfig cluster "$cluster_id" is up on 127.0.0.1:
  redis     $redis                 (membership, source state, stream subscriptions)
  etcd      $etcd_url      (the etcd source's store: put Services under /registry/services/specs/NAMESPACE/NAME)
  silo1     silo port ${silo_ports[0]}, gateway ${gateway_ports[0]}
  silo2     silo port ${silo_ports[1]}, gateway ${gateway_ports[1]}
  silo3     silo port ${silo_ports[2]}, gateway ${gateway_ports[2]}
  client    watch services         (tail -f $state/client.log)
Logs and pids: $state
Try:
  $dotnet $cli_dll --redis $redis --cluster-id $cluster_id --service-id $cluster_id get services
  $dotnet $cli_dll --gateway 127.0.0.1:${gateway_ports[1]} sources
Stop it all: OC_STATE_DIR=$state $repo/scripts/cluster-down.sh
EOF
