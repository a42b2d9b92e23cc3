#!/usr/bin/env bash
# The whole test suite. Installs the servers the integration tests start (etcd, redis) and the browser the
# status page test drives (chromium) when missing; each test starts its own on a free loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
if ((${#need[@]})); then
  echo "installing ${need[*]} ..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

rm -rf TestResults
dotnet build OrleansConfig.sln -c Release -nologo -clp:ErrorsOnly
status=0
for project in tests/OrleansConfig.Tests tests/OrleansConfig.IntegrationTests; do
  name=$(basename "$project")
  dotnet test "$project" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory TestResults "$@" || status=$?
done
exit $status
