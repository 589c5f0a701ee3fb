#!/usr/bin/env bash
# Keeps the guide's code samples in sync with the compiled files in docs/examples/.
#
#   check-includes.sh            fails when a page differs from its files
#   check-includes.sh --update   rewrites the blocks from the files
#
# In README.md and docs/guide/*.md, a sample is a line `<!-- include: docs/examples/FILE.cpp -->` followed at
# once by a ```cpp fenced block holding the file's exact contents. Also refused: a ```cpp block
# without such a line (every C++ sample must be a compiled file), a marker naming a missing
# file or not followed by a block, and a file in docs/examples/ that no page includes.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mode=check
case ${1-} in
  "") ;;
  --update) mode=update ;;
  *)
    echo "usage: check-includes.sh [--update]" >&2
    exit 2
    ;;
esac

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/included"
status=0

# Prints the page with every marked block replaced by its file; problems go to stderr and make
# awk exit 1; the included paths are appended to $tmp/included.
render() {
  awk -v root="$root" -v page="$2" -v included="$tmp/included" '
    function problem(msg) { printf "%s:%d: %s\n", page, NR, msg > "/dev/stderr"; bad = 1 }
    /^<!-- include: [^ ]+ -->$/ {
      path = $0
      sub(/^<!-- include: /, "", path)
      sub(/ -->$/, "", path)
      print
      print path >> included
      if ((getline line) <= 0 || line != "```cpp") {
        problem("the include marker for " path " must be followed by a ```cpp block")
        if (line != "") print line
        next
      }
      closed = 0
      while ((getline line) > 0)
        if (line == "```") { closed = 1; break }
      if (!closed) { problem("unterminated ```cpp block for " path); next }
      print "```cpp"
      file = root "/" path
      if ((getline code < file) < 0) {
        problem("no such file: " path)
      } else {
        print code
        while ((getline code < file) > 0) print code
        close(file)
      }
      print "```"
      next
    }
    /^```cpp/ { problem("a ```cpp block without an include marker: make it a file in docs/examples/") }
    { print }
    END { exit bad }
  ' "$1"
}

for page in "$root"/README.md "$root"/docs/guide/*.md; do
  rel=${page#"$root"/}
  rendered="$tmp/page.md"
  if ! render "$page" "$rel" >"$rendered"; then
    status=1
    continue
  fi
  if ! cmp -s "$page" "$rendered"; then
    if [[ $mode == update ]]; then
      cp "$rendered" "$page"
      echo "updated $rel"
    else
      echo "$rel differs from the files it includes (run docs/examples/check-includes.sh --update):"
      diff -u --label "$rel" --label "$rel (from the files)" "$page" "$rendered" || true
      status=1
    fi
  fi
done

for src in "$root"/docs/examples/*.cpp; do
  rel=${src#"$root"/}
  if ! grep -qxF "$rel" "$tmp/included"; then
    echo "$rel is not included by README.md or any page of docs/guide/"
    status=1
  fi
done

if ((status == 0)) && [[ $mode == check ]]; then
  echo "README.md and docs/guide: every C++ sample matches its file in docs/examples/"
fi
exit "$status"
