#!/usr/bin/env bash
# The production bundle: the built server with its production dependencies in one self-contained
# directory (dist/, config/, console/, demo/, package.json, node_modules/ with better-sqlite3's
# native build; relative links only, so it can be copied anywhere), run as
#   node --max-semi-space-size=2 <dir>/dist/main.js
# with nothing else but Node 20. The Dockerfile's build stage runs this script, and
# test/package/bundle.test.ts starts what it makes from a fresh directory, so CI tests what the
# image runs.
#
# Usage: scripts/bundle.sh <dir>     <dir> must not exist or be empty.
# Run from a checkout after `pnpm install` and `pnpm --filter "@tidings/server..." build`; it builds
# nothing and reads only the pnpm store (--offline).
set -euo pipefail

usage() {
  echo "usage: scripts/bundle.sh <dir>   (a new or empty directory for the bundle)" >&2
  exit 2
}
[[ $# -eq 1 && -n "$1" ]] || usage
target=$1
if [[ -e "$target" && -n "$(ls -A "$target" 2>/dev/null)" ]]; then
  echo "bundle: $target exists and is not empty" >&2
  exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
for built in apps/server packages/parser packages/feeds packages/fetch packages/render packages/widget; do
  if [[ ! -f "$root/$built/dist/index.js" ]]; then
    echo "bundle: $built is not built: run pnpm --filter \"@tidings/server...\" build first" >&2
    exit 1
  fi
done

mkdir -p "$target"
target=$(cd "$target" && pwd)

# The server's published files (package.json "files") and its production dependencies, the
# workspace packages among them copied in (not linked to the checkout), from the store alone. The
# release-age policy was applied when the workspace's lockfile was installed; checking the deploy's
# subset of it again would need the registry's metadata, hence minimum-release-age=0 here.
(cd "$root" && npx -y pnpm@12.4.2 --filter @tidings/server deploy --prod --offline \
  --config.minimum-release-age=0 "$target") >&2

# What does not run: better-sqlite3's intermediate build files (about 15 MB), pnpm's workspace file.
sqlite=$(cd "$target/node_modules/better-sqlite3" && pwd -P)
rm -rf "$sqlite/build/Release/obj" "$sqlite/build/Release/obj.target" "$sqlite/build/Release/.deps" \
  "$sqlite/build/Release/test_extension.node" "$sqlite/deps" "$sqlite/src"
rm -f "$target/pnpm-workspace.yaml"

# The bundle loads, finds its bundled config and demo snapshot, and opens a database natively.
(
  cd "$target"
  node dist/main.js --version >/dev/null
  env -u TIDINGS_CONFIG node dist/main.js --check >&2
  node -e "new (require('better-sqlite3'))(':memory:').close()"
)
echo "bundle: $target ($(du -sh "$target" | cut -f1)); run: node --max-semi-space-size=2 $target/dist/main.js" >&2
