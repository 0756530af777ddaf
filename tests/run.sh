#!/usr/bin/env bash
# The one test command: installs what is missing on a fresh Debian machine with the .NET 10 SDK,
# builds once, runs every test project, and ends with one plain "N passed, N failed" line.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ $apt_updated -eq 0 ]; then $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq; apt_updated=1; fi
  echo "Installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
}

# Browser tests drive Debian's Chromium (with a CJK font, so the Japanese screenshots show Japanese); the
# scale-out suite runs on a throwaway PostgreSQL cluster.
if [ -d tests/BossTalkCalendar.Browser.Tests ]; then apt_install chromium fonts-noto-cjk; fi
if grep -rqs "BOSSTALK_TEST_POSTGRES" tests --include=*.cs; then apt_install postgresql; fi

# Offline manifest schema validation uses the npm packages pinned in tests/manifest-tools.
if [ -f tests/manifest-tools/package-lock.json ]; then
  (cd tests/manifest-tools && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

# The task pane's ESLint and TypeScript checkJs use the npm packages pinned in tests/pane-tools; PaneToolsTests
# (Browser.Tests) runs them, so their errors count as failed tests below.
if [ -f tests/pane-tools/package-lock.json ]; then
  (cd tests/pane-tools && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

pg_stop() { :; }
if grep -rqs "BOSSTALK_TEST_POSTGRES" tests --include=*.cs; then
  # A throwaway cluster on loopback under a temporary directory, stopped on exit.
  pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  pgdir="$(mktemp -d /tmp/bosstalk-pg.XXXXXX)"
  pgport=$(( 20000 + RANDOM % 20000 ))
  chown -R postgres "$pgdir" 2>/dev/null || true
  run_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
  run_pg "'$pgbin/initdb' -D '$pgdir/data' -U postgres --auth=trust -E UTF8 >/dev/null"
  run_pg "'$pgbin/pg_ctl' -D '$pgdir/data' -o \"-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir -c max_connections=300 -c fsync=off\" -w -l '$pgdir/log' start >/dev/null"
  pg_stop() { run_pg "'$pgbin/pg_ctl' -D '$pgdir/data' -m fast stop >/dev/null" || true; rm -rf "$pgdir"; }
  export BOSSTALK_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres"
fi
trap pg_stop EXIT

# The image tests (tests/BossTalkCalendar.Deploy.Tests) drive podman against localhost/bosstalkcalendar:latest, built
# here from this tree once, before anything else builds: the tests check the artifact an operator gets, and a build
# inside a test would compete for the two cores. build-image.sh writes the containers.conf drop-in this machine needs.
if [ -d tests/BossTalkCalendar.Deploy.Tests ]; then
  apt_install podman runc mmdebstrap
  deploy/build-image.sh
fi

dotnet build BossTalkCalendar.sln -c Release -v q -nologo

results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  dotnet test "$project" -c Release --no-build -v q --nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

passed=0; failed=0; skipped=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*' "$trx" | head -n 1)"
  get() { local v; v="$(echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p")"; echo "${v:-0}"; }
  total=$(( total + $(get total) ))
  passed=$(( passed + $(get passed) ))
  failed=$(( failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  skipped=$(( skipped + $(get notExecuted) ))
done

# Each failed test's name and the start of its message, so a CI log says what broke without the .trx files.
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  awk '
    /<UnitTestResult / { inmsg = 0; failed = ($0 ~ /outcome="Failed"/); if (failed) { match($0, /testName="[^"]*"/); print "FAILED " substr($0, RSTART + 10, RLENGTH - 11) } }
    failed && /<Message>/ { inmsg = 1; lines = 0 }
    failed && inmsg {
      line = $0; closing = (line ~ /<\/Message>/)
      sub(/.*<Message>/, "", line); sub(/<\/Message>.*/, "", line)
      if (lines++ < 15) print "  " line
      if (closing) inmsg = 0
    }
  ' "$trx"
done

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
if [ "$status" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
