#!/usr/bin/env bash
# Measures the image as the README reports it: its size, seconds from `podman run` to the first 200 from /readyz
# (a first start on an empty /data: SQLite created and migrated), the service's memory after a minute idle, and seconds
# from SIGTERM to exit. Tenant mode against the Graph simulator (sample tenant, nobody enrolled) on loopback.
# Needs the image (deploy/build-image.sh) and a Release build of the simulator (dotnet build -c Release).
# Usage: deploy/measure-image.sh [runs]   (default 3)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
image="localhost/bosstalkcalendar:latest"
runs="${1:-3}"
simulator="$root/src/BossTalkCalendar.GraphSimulator/bin/Release/net10.0/BossTalkCalendar.GraphSimulator.dll"
seed="$root/src/BossTalkCalendar.GraphSimulator/sample-tenant.json"
tenant="$(sed -n 's/.*"tenantId": *"\([^"]*\)".*/\1/p' "$seed" | head -n 1)"
[ -f "$simulator" ] || { echo "Build the simulator first: dotnet build src/BossTalkCalendar.GraphSimulator -c Release" >&2; exit 1; }

now_ms() { date +%s%3N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

graph_port="$(free_port)"
dotnet "$simulator" --seed "$seed" --port "$graph_port" >/dev/null 2>&1 &
simulator_pid=$!
name=""
data=""
cleanup() {
  [ -n "$name" ] && podman rm --force --time 0 "$name" >/dev/null 2>&1 || true
  [ -n "$data" ] && rm -rf "$data"
  kill "$simulator_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$graph_port/v1.0/users" && break; sleep 0.1; done

echo "image size: $(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1000000 }')"
for run in $(seq 1 "$runs"); do
  data="$(mktemp -d /tmp/bosstalk-measure.XXXXXX)"
  chown 1654:1654 "$data"
  port="$(free_port)"
  name="bosstalk-measure-$run-$$"
  start="$(now_ms)"
  podman run --detach --name "$name" --network=host --read-only --volume "$data:/data" \
    --env "ASPNETCORE_URLS=http://127.0.0.1:$port" \
    --env "Graph__TenantId=$tenant" --env "Graph__BaseUrl=http://127.0.0.1:$graph_port/v1.0" \
    --env "Auth__Authority=https://login.microsoftonline.com/$tenant/v2.0" --env "Auth__Audience=api://bosstalk.example/measure" \
    --env "Service__PublicBaseUrl=https://bosstalk.example" \
    "$image" >/dev/null
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = "200" ]; do
    podman container exists "$name" && [ "$(podman inspect --format '{{.State.Running}}' "$name")" = "true" ] \
      || { podman logs "$name" >&2; exit 1; }
    sleep 0.05
  done
  ready="$(now_ms)"
  sleep 60
  # The service is the child of catatonit (the container's PID 1); its resident memory as the host sees it.
  init_pid="$(podman inspect --format '{{.State.Pid}}' "$name")"
  app_pid="$(cat "/proc/$init_pid/task/$init_pid/children" | awk '{ print $1 }')"
  rss_kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$app_pid/status")"
  cgroup="$(podman stats --no-stream --format '{{.MemUsage}}' "$name" | cut -d/ -f1 | xargs)"
  term="$(now_ms)"
  podman kill --signal TERM "$name" >/dev/null
  code="$(podman wait "$name")"
  stopped="$(now_ms)"
  printf 'run %s: ready %.2f s, idle RSS %.0f MB (cgroup %s), SIGTERM to exit %.2f s (exit code %s)\n' \
    "$run" "$(echo "($ready - $start) / 1000" | bc -l)" "$(echo "$rss_kb / 1024" | bc -l)" "$cgroup" \
    "$(echo "($stopped - $term) / 1000" | bc -l)" "$code"
  podman rm --force "$name" >/dev/null
  name=""
  rm -rf "$data"
  data=""
done
