#!/usr/bin/env bash
# Installs the Debian 12 packages Vivace needs to build, test and benchmark.
# Idempotent: apt is not touched when every package is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config ccache
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsoci-dev libsqlite3-dev libpq-dev libssl-dev zlib1g-dev
  catch2 openssl
  chromium doxygen
)
# Chromium renders the docs pages in tests/openapi/browser.sh (headless, loopback only).
# Doxygen builds the API reference from the headers (docs/api-reference.sh).
# Node.js and npm run the external OpenAPI checks (tools pinned in tools/openapi/). A machine
# that already has them (NodeSource's nodejs bundles npm) keeps its own.
if ! command -v node >/dev/null; then
  packages+=(nodejs)
fi
if ! command -v npm >/dev/null; then
  packages+=(npm)
fi
if [[ "${VIVACE_SETUP_BENCH:-0}" == 1 ]]; then
  packages+=(wrk)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
