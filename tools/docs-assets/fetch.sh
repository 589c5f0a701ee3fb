#!/usr/bin/env bash
# Fetches the docs pages' front-end assets from the npm registry (`npm pack`, no install), checks
# them against the integrity hashes pinned below and extracts the files Vivace embeds:
#   swagger-ui-dist 5.35.0 (Apache-2.0): swagger-ui-bundle.js, swagger-ui.css,
#                                        oauth2-redirect.html, oauth2-redirect.js
#   redoc 2.5.4 (MIT): bundles/redoc.standalone.js
# usage: tools/docs-assets/fetch.sh OUTPUT_DIR
set -euo pipefail
out=${1:?usage: fetch.sh OUTPUT_DIR}
mkdir -p "$out"
if [[ -f $out/.complete ]]; then
  exit 0
fi
command -v npm >/dev/null || { echo "docs assets: npm is required" >&2; exit 1; }

# name@version and the registry's sha512 integrity of its tarball.
packages=(
  "swagger-ui-dist@5.35.0 sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="
  "redoc@2.5.4 sha512-M6jWhG1qoBnH6TFmzJnstyCZ87HmOY/UzDm78mHiYihEdlV/YcS9ogOo1NlElnJMeLsyxHFe2yFc4sNjHTrABQ=="
)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for entry in "${packages[@]}"; do
  spec=${entry%% *} integrity=${entry#* }
  tarball=$(cd "$work" && npm pack "$spec" --silent --no-fund 2>/dev/null | tail -1)
  actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
  if [[ $actual != "$integrity" ]]; then
    echo "docs assets: $spec does not match its pinned integrity ($actual)" >&2
    exit 1
  fi
  mkdir -p "$work/${spec%@*}"
  tar -xzf "$work/$tarball" -C "$work/${spec%@*}"
done
cp "$work/swagger-ui-dist/package/swagger-ui-bundle.js" "$work/swagger-ui-dist/package/swagger-ui.css" \
  "$work/swagger-ui-dist/package/oauth2-redirect.html" \
  "$work/swagger-ui-dist/package/oauth2-redirect.js" "$out/"
cp "$work/swagger-ui-dist/package/LICENSE" "$out/LICENSE.swagger-ui"
cp "$work/swagger-ui-dist/package/NOTICE" "$out/NOTICE.swagger-ui"
cp "$work/redoc/package/bundles/redoc.standalone.js" "$out/"
cp "$work/redoc/package/LICENSE" "$out/LICENSE.redoc"
touch "$out/.complete"
echo "docs assets: fetched into $out"
