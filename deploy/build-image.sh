#!/usr/bin/env bash
# Builds localhost/bosstalkcalendar:latest into the local podman store, from Debian's packages and NuGet only (no
# container registry): a Debian base made with mmdebstrap (cached as an image, rebuilt only when missing or when its
# recipe below changes), a self-contained `dotnet publish -r linux-x64` of the service, and deploy/Containerfile.
# Installs podman, runc and mmdebstrap when missing (apt-get, as root or through sudo). No arguments.
# Optional: BOSSTALK_IMAGE_SOURCE sets the org.opencontainers.image.source label (default: the git remote "origin").
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

image="localhost/bosstalkcalendar:latest"
suite="bookworm"
packages="ca-certificates,libicu72,libssl3,tzdata,catatonit"
work="$root/artifacts/image"

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"

missing=()
for pkg in podman runc mmdebstrap; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]}"
  $sudo apt-get -o DPkg::Lock::Timeout=300 update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" >/dev/null
fi

# On machines like ours (a container host where setting RLIMIT_NOFILE is not permitted, cgroup v1) runc fails with
# "error setting rlimits" unless podman stops setting its default ulimits; crun, podman's other runtime, refuses the
# cgroup layout, so runc it is. A drop-in keeps the distribution's containers.conf untouched.
conf_dir=/etc/containers/containers.conf.d
conf="$conf_dir/50-bosstalkcalendar.conf"
if [ ! -f "$conf" ]; then
  $sudo mkdir -p "$conf_dir"
  printf '%s\n' \
    '# Written by BossTalkCalendar deploy/build-image.sh: runc cannot set rlimits on this host.' \
    '[containers]' \
    'default_ulimits = []' \
    '' \
    '[engine]' \
    'runtime = "runc"' \
    'cgroup_manager = "cgroupfs"' | $sudo tee "$conf" >/dev/null
fi

# The base: Debian with ICU (culture data and Windows↔IANA zone names), tzdata (the zone rules), OpenSSL and CA
# certificates (TLS to Graph and Entra), catatonit (a minimal init as PID 1: the kernel does not let a PID 1 die of
# its own SIGABRT, so a start-up failure of .NET would end as a misleading SIGSEGV, 139), and the unprivileged user
# "app" (uid 1654, as in Microsoft's .NET images) owning /data and its home. No manuals or docs besides the
# copyright files. Its tag carries a hash of this recipe, so a changed recipe builds a new base.
hook='echo "app:x:1654:1654:app:/home/app:/usr/sbin/nologin" >> "$1/etc/passwd" && echo "app:x:1654:" >> "$1/etc/group" && mkdir -p "$1/data" "$1/home/app" && chown 1654:1654 "$1/data" "$1/home/app"'
dpkg_opts=(--dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/locale/*')
recipe_hash="$(printf '%s\n' "$suite" "$packages" "$hook" "${dpkg_opts[@]}" | sha256sum | cut -c1-12)"
base="localhost/bosstalkcalendar-base:$suite-$recipe_hash"
mkdir -p "$work"
if ! podman image exists "$base"; then
  echo "Building the base image $base with mmdebstrap"
  # The host's own Debian sources (with security updates) when it has them, otherwise mmdebstrap's default mirror.
  sources=()
  [ -f /etc/apt/sources.list.d/debian.sources ] && sources=(/etc/apt/sources.list.d/debian.sources)
  rm -f "$work/base.tar"
  # On the kernel's clock even when this script runs under libfaketime: apt refuses a Release file dated in the future
  # or past its Valid-Until.
  $sudo env -u LD_PRELOAD -u FAKETIME mmdebstrap --quiet --variant=apt --include="$packages" "${dpkg_opts[@]}" --customize-hook="$hook" "$suite" "$work/base.tar" "${sources[@]}"
  podman import --quiet "$work/base.tar" "$base" >/dev/null
  rm -f "$work/base.tar"
  # Bases of earlier recipes are no longer used by anything this script builds.
  podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/bosstalkcalendar-base:' | grep -vx "$base" \
    | xargs -r podman rmi --force >/dev/null 2>&1 || true
fi

echo "Publishing the service (self-contained, linux-x64)"
rm -rf "$work/app"
dotnet publish src/BossTalkCalendar.Api/BossTalkCalendar.Api.csproj -c Release -r linux-x64 --self-contained \
  -p:DebugType=none -o "$work/app" -v q -nologo >"$work/publish.log" 2>&1 \
  || { cat "$work/publish.log"; exit 1; }
# Development settings and the SQLite files of a local run do not belong in an image.
rm -f "$work/app/appsettings.Development.json"
rm -rf "$work/app/data"

revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
version="$(git describe --tags --always --dirty 2>/dev/null || echo unknown)"
source="${BOSSTALK_IMAGE_SOURCE:-$(git remote get-url origin 2>/dev/null || echo unknown)}"

echo "Building $image ($version)"
podman build --quiet --pull=never -f deploy/Containerfile \
  --build-arg BASE_IMAGE="$base" --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg SOURCE="$source" \
  -t "$image" "$work" >/dev/null
podman image prune --force >/dev/null
echo "Built $image: $(podman image inspect --format '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1000000 }')"
