#!/usr/bin/env bash
# The docker-compose topology as processes on 127.0.0.1, without Docker: a real redis-server and etcd, three silos
# (Redis clustering, source state and stream subscriptions in Redis, the etcd and file sources), and a client
# running `watch services`. Everything runs in the background; scripts/cluster-down.sh stops it.
# Secured as docker-compose.yml is: scripts/make-certs.sh makes the certificates (kept between runs); the silos get
# mutual TLS and the authorization settings, the client a reader certificate, etcd requires a client certificate
# (the silos' etcd-client.pem), and Redis a password (fsyncing every write, as in docker-compose.yml).
#
# Settings (environment variables, all optional):
#   OC_STATE_DIR      where pids, logs and data go                 (default: /tmp/orleans-config-cluster)
#   OC_CLUSTER_ID     Orleans cluster and service id               (default: orleans-config)
#   OC_REDIS_PORT     redis-server's port                          (default: 16379)
#   OC_ETCD_PORT      etcd's client port                           (default: 12379)
#   OC_ETCD_PEER_PORT etcd's peer port                             (default: the client port + 1)
#   OC_SILO_PORTS     three silo-to-silo ports                     (default: "11111 11112 11113")
#   OC_GATEWAY_PORTS  three gateway ports                          (default: "30000 30001 30002")
#   OC_CERTS_DIR      the certificates (made there if missing)     (default: $OC_STATE_DIR/certs)
#   OC_REDIS_PASSWORD Redis' password                              (default: a new random one, in $OC_STATE_DIR/redis.conf)
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
certs="${OC_CERTS_DIR:-$state/certs}"
redis_password="${OC_REDIS_PASSWORD:-}"
dotnet="${DOTNET:-dotnet}"
start_timeout=90

die() { echo "cluster-up: $*" >&2; exit 1; }

((${#silo_ports[@]} == 3 && ${#gateway_ports[@]} == 3)) || die "OC_SILO_PORTS and OC_GATEWAY_PORTS need three ports each"
for tool in redis-server etcd etcdctl openssl; do
  command -v "$tool" >/dev/null 2>&1 || die "'$tool' is not installed (Debian: apt-get install redis-server etcd-server etcd-client openssl)"
done
# It goes into StackExchange.Redis connection strings, where ',' and '=' separate settings.
[[ "$redis_password" =~ ^[A-Za-z0-9._~+/-]*$ ]] || die "OC_REDIS_PASSWORD may hold only letters, digits and . _ ~ + / -"
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
# Everything of a previous run goes, except the certificates (a client may hold copies of them).
if [[ -d "$state" ]]; then
  find "$state" -mindepth 1 -maxdepth 1 ! -name certs -exec rm -rf {} +
fi
mkdir -p "$state/redis" "$state/etcd"
: >"$state/pids"
"$repo/scripts/make-certs.sh" "$certs" >"$state/make-certs.log" 2>&1 || { cat "$state/make-certs.log" >&2; die "making certificates in $certs failed"; }
[[ -n "$redis_password" ]] || redis_password="$(openssl rand -hex 16)"
# The password in a file of mode 0600, not on redis-server's command line (which any local user can read).
(umask 077 && printf 'requirepass %s\n' "$redis_password" >"$state/redis.conf")

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

# AUTH, then PING: both must succeed (an unauthenticated PING is refused).
redis_ready() {
  local auth="" reply=""
  { exec 3<>"/dev/tcp/127.0.0.1/$redis_port"; } 2>/dev/null || return 1
  printf '*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\nPING\r\n' "${#redis_password}" "$redis_password" >&3
  read -r -t 2 auth <&3 || true
  read -r -t 2 reply <&3 || true
  exec 3>&-
  [[ "$auth" == +OK* && "$reply" == +PONG* ]]
}

etcd_tls=(--cacert "$certs/etcd-ca.pem" --cert "$certs/etcd-client.pem" --key "$certs/etcd-client-key.pem")
etcd_ready() {
  ETCDCTL_API=3 timeout 5 etcdctl --endpoints "$etcd_url" "${etcd_tls[@]}" --dial-timeout 2s endpoint health >/dev/null 2>&1
}

start redis redis-server "$state/redis.conf" --port "$redis_port" --bind 127.0.0.1 --dir "$state/redis" --save "" \
  --appendonly yes --appendfsync always
etcd_url="https://127.0.0.1:$etcd_port"
peer_url="http://127.0.0.1:$etcd_peer_port"
start etcd etcd --name oc --data-dir "$state/etcd" --listen-client-urls "$etcd_url" --advertise-client-urls "$etcd_url" \
  --client-cert-auth --trusted-ca-file "$certs/etcd-ca.pem" --cert-file "$certs/etcd.pem" --key-file "$certs/etcd-key.pem" \
  --listen-peer-urls "$peer_url" --initial-advertise-peer-urls "$peer_url" --initial-cluster "oc=$peer_url" --log-level warn
await redis redis_ready
await etcd etcd_ready

redis="127.0.0.1:$redis_port"
redis_connection="$redis,password=$redis_password"
# The same keys as docker-compose.yml, as environment variables.
export Orleans__ClusterId="$cluster_id" Orleans__ServiceId="$cluster_id"
export Orleans__Clustering__ProviderType=Redis Orleans__Clustering__ConnectionString="$redis_connection"
export Orleans__GrainStorage__Default__ProviderType=Redis Orleans__GrainStorage__Default__ConnectionString="$redis_connection"
export Orleans__GrainStorage__PubSubStore__ProviderType=Redis Orleans__GrainStorage__PubSubStore__ConnectionString="$redis_connection"
export Orleans__Endpoints__AdvertisedIPAddress=127.0.0.1
export OrleansConfig__Tls__CertificatePath="$certs/silo.pem" OrleansConfig__Tls__KeyPath="$certs/silo-key.pem" OrleansConfig__Tls__CaPath="$certs/ca.pem"
export OrleansConfig__Authorization__Silos=orleans-config-silo OrleansConfig__Authorization__Admins=admin
export OrleansConfig__Authorization__Writers__manual=writer-manual
export Sources__Etcd__Endpoints="$etcd_url" Sources__Etcd__CaFile="$certs/etcd-ca.pem"
export Sources__Etcd__CertFile="$certs/etcd-client.pem" Sources__Etcd__KeyFile="$certs/etcd-client-key.pem"
export Sources__File__Path="$repo/examples"

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

# The handler client finds the gateways through Redis (Orleans__Clustering__*), as the silos find each other; it
# shows the reader certificate, not the silos'.
ORLEANS_CONFIG_TLS_CERT="$certs/reader.pem" ORLEANS_CONFIG_TLS_KEY="$certs/reader-key.pem" ORLEANS_CONFIG_TLS_CA="$certs/ca.pem" \
  start client "$dotnet" "$cli_dll" watch services
up=1

cat <<EOF
OrleansConfig cluster "$cluster_id" is up on 127.0.0.1:
  redis     $redis                 (membership, source state, stream subscriptions; password in $state/redis.conf)
  etcd      $etcd_url      (the etcd source's store: put Services under /registry/services/specs/NAMESPACE/NAME)
  silo1     silo port ${silo_ports[0]}, gateway ${gateway_ports[0]}
  silo2     silo port ${silo_ports[1]}, gateway ${gateway_ports[1]}
  silo3     silo port ${silo_ports[2]}, gateway ${gateway_ports[2]}
  client    watch services         (tail -f $state/client.log)
Certificates: $certs (admin.pem: everything; writer-manual.pem: source manual; reader.pem: reads)
Logs and pids: $state
Try:
  export ORLEANS_CONFIG_TLS_CERT=$certs/admin.pem ORLEANS_CONFIG_TLS_KEY=$certs/admin-key.pem ORLEANS_CONFIG_TLS_CA=$certs/ca.pem
  $dotnet $cli_dll --redis "$redis,password=\$(sed -n 's/^requirepass //p' $state/redis.conf)" --cluster-id $cluster_id --service-id $cluster_id get services
  $dotnet $cli_dll --gateway 127.0.0.1:${gateway_ports[1]} sources
  ETCDCTL_API=3 etcdctl --endpoints $etcd_url ${etcd_tls[*]} put /registry/services/specs/default/NAME "\$(cat service.json)"
Stop it all: OC_STATE_DIR=$state $repo/scripts/cluster-down.sh
EOF
