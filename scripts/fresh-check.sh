#!/usr/bin/env bash
# The README's two commands on a truly fresh Debian 12: builds a minimal Debian 12 root with
# mmdebstrap or debootstrap (Debian packages; this script installs debootstrap when neither is
# there), copies a clean clone of this repository into it, and runs in it, as root in a chroot:
#   1. scripts/run.sh, until GET http://127.0.0.1:8000/health answers (the chroot shares the
#      host's network, so the probe runs outside it; the port must be free), then stops it;
#   2. scripts/test.sh, to its end.
# Prints the time of each step and exits non-zero when one fails. Not in CI: it takes the better
# part of an hour on two cores (every package installed and everything built from nothing).
#
#   sudo scripts/fresh-check.sh
#
# Environment: FRESH_DIR [/var/tmp/vivace-fresh-<pid>] the root (about 6 GB; removed at the
# end unless KEEP=1; a kept root is used again, with a new clone, its packages no longer
# fresh), MIRROR [http://deb.debian.org/debian], STEPS [run test] (either or both),
# REF [HEAD] what to clone. Logs: FRESH_DIR.logs/{bootstrap,run,test}.log (kept).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

[[ $(id -u) == 0 ]] || { echo "fresh-check: run as root (a chroot)" >&2; exit 1; }
command -v curl >/dev/null || { echo "fresh-check: curl is needed here (the probe)" >&2; exit 1; }
root=${FRESH_DIR:-/var/tmp/vivace-fresh-$$}
logs=$root.logs
mirror=${MIRROR:-http://deb.debian.org/debian}
steps=${STEPS:-run test}
ref=${REF:-HEAD}
port=8000
if (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "fresh-check: 127.0.0.1:$port is in use; scripts/run.sh serves there" >&2
  exit 1
fi
mkdir -p "$logs"

step_started=0
declare -a report
step() { step_started=$SECONDS; echo "== fresh-check: $1"; }
done_step() {
  report+=("$(printf '%-58s %5d s' "$1" $((SECONDS - step_started)))")
  echo "== fresh-check: $1: $((SECONDS - step_started)) s"
}

# Processes whose root is the chroot, the mounts, and (unless KEEP=1) the root itself.
cleanup() {
  local p
  for p in /proc/[0-9]*; do
    [[ $(readlink "$p/root" 2>/dev/null) == "$root" ]] && kill -KILL "${p#/proc/}" 2>/dev/null
  done
  sleep 1
  for m in dev/shm dev/pts dev sys proc; do
    mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m"
  done
  if [[ ${KEEP:-0} != 1 ]]; then rm -rf "$root"; fi
  if ((${#report[@]})); then
    echo "fresh-check: times"
    printf '  %s\n' "${report[@]}"
  fi
}
trap cleanup EXIT

# ---- 1. a minimal Debian 12 ------------------------------------------------------------------
step "a minimal Debian 12 root in $root"
if [[ -f $root/etc/debian_version ]]; then
  echo "fresh-check: reusing the root in $root (KEEP=1 left it): its packages are not fresh"
else
if ! command -v mmdebstrap >/dev/null && ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap \
    >"$logs/bootstrap.log" 2>&1
fi
if command -v mmdebstrap >/dev/null; then
  mmdebstrap --variant=minbase bookworm "$root" "$mirror" >>"$logs/bootstrap.log" 2>&1
else
  debootstrap --variant=minbase bookworm "$root" "$mirror" >>"$logs/bootstrap.log" 2>&1
fi
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
fi
cp /etc/resolv.conf "$root/etc/resolv.conf"
# The host's own certificate authorities (a network that intercepts TLS, as this one may, needs
# its CA on every machine in it): ca-certificates, when setup.sh installs it, takes them in.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  mkdir -p "$root/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
  if [[ -x $root/usr/sbin/update-ca-certificates ]]; then
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || true
  fi
fi
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount -t devtmpfs devtmpfs "$root/dev"
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
mount -t tmpfs tmpfs "$root/dev/shm"
# A clean clone: what CI gets, nothing of this working tree's builds.
rm -rf "$root/src"
mkdir -p "$root/src"
git clone -q --no-local "$repo" "$root/src/vivace"
git -C "$root/src/vivace" checkout -q "$(git rev-parse "$ref")"
# The design notes beside the repository, as on the development machines (read-only there).
if [[ -d $repo/../shared ]]; then cp -r "$repo/../shared" "$root/src/shared"; fi
done_step "minimal Debian 12 root ($(du -shx "$root" | cut -f1))"

in_root() {  # in_root COMMAND...: in the chroot, in the clone, with a plain root environment
  chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c 'cd /src/vivace && "$@"' bash "$@"
}

# ---- 2. scripts/run.sh until /health answers -------------------------------------------------
if [[ " $steps " == *" run "* ]]; then
  step "scripts/run.sh until GET /health answers"
  setsid bash -c "$(declare -f in_root); root='$root'; in_root scripts/run.sh" \
    >"$logs/run.log" 2>&1 &
  run_pid=$!
  ok=""
  while kill -0 "$run_pid" 2>/dev/null; do
    if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/health" 2>/dev/null; then
      ok=1
      break
    fi
    sleep 2
  done
  kill -TERM -- "-$run_pid" 2>/dev/null || true
  wait "$run_pid" 2>/dev/null || true
  if [[ -z $ok ]]; then
    echo "fresh-check: scripts/run.sh ended before /health answered; the end of its log:" >&2
    tail -n 30 "$logs/run.log" >&2
    exit 1
  fi
  done_step "scripts/run.sh: packages, release build, /health answered"
fi

# ---- 3. scripts/test.sh ---------------------------------------------------------------------
if [[ " $steps " == *" test "* ]]; then
  step "scripts/test.sh"
  status=0
  in_root scripts/test.sh >"$logs/test.log" 2>&1 || status=$?
  done_step "scripts/test.sh (exit status $status)"
  if ((status != 0)); then
    echo "fresh-check: scripts/test.sh failed; the end of its log:" >&2
    tail -n 40 "$logs/test.log" >&2
    exit 1
  fi
  grep -E "tests passed|built in" "$logs/test.log" | sed 's/^/  /'
fi
echo "fresh-check: passed (logs in $logs)"
