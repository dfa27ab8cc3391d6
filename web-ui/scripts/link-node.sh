#!/usr/bin/env bash
# Links the machine's Node.js and npm to where frontend-maven-plugin looks for them
# (<installDirectory>/node/node and <installDirectory>/node/node_modules/npm), so the build
# never downloads Node. Run by the pom in the initialize phase; safe to run again.
#
# Usage: link-node.sh <target>/node
set -euo pipefail

dest="${1:?usage: link-node.sh <install-dir>/node}"
need="web-ui needs Node.js 20+ and npm on the PATH"

fail() {
  echo "ERROR: $need: $*" >&2
  exit 1
}

node_on_path="$(command -v node || true)"
[ -n "$node_on_path" ] || fail "no 'node' found (PATH=$PATH)"
node_bin="$(readlink -f "$node_on_path")"

# Vite needs 20.19 or newer within the 20 line.
new_enough="$("$node_bin" -p '
  const [major, minor] = process.versions.node.split(".").map(Number);
  major > 20 || (major === 20 && minor >= 19)')" || fail "'$node_bin' does not run"
[ "$new_enough" = "true" ] || fail "found Node.js $("$node_bin" --version) at $node_bin; 20.19 or newer is needed"

# npm's package directory: where the npm on the PATH really lives (…/npm/bin/npm-cli.js),
# else the usual place next to node (<prefix>/bin/node -> <prefix>/lib/node_modules/npm).
npm_dir=""
npm_on_path="$(command -v npm || true)"
if [ -n "$npm_on_path" ]; then
  candidate="$(dirname "$(dirname "$(readlink -f "$npm_on_path")")")"
  [ -f "$candidate/bin/npm-cli.js" ] && npm_dir="$candidate"
fi
if [ -z "$npm_dir" ]; then
  candidate="$(readlink -f "$(dirname "$node_bin")/../lib/node_modules/npm" || true)"
  [ -n "$candidate" ] && [ -f "$candidate/bin/npm-cli.js" ] && npm_dir="$candidate"
fi
[ -n "$npm_dir" ] || fail "no npm package found next to $node_bin or on the PATH"

mkdir -p "$dest/node_modules"
# -n: replace an existing link instead of creating a link inside the directory it points to.
ln -sfn "$node_bin" "$dest/node"
ln -sfn "$npm_dir" "$dest/node_modules/npm"

echo "web-ui: using Node.js $("$dest/node" --version) ($node_bin), npm $("$dest/node" "$dest/node_modules/npm/bin/npm-cli.js" --version) ($npm_dir)"
