#!/usr/bin/env bash
# Type-checks railway.ts files against the real SDK types, which the Railway CLI never does
# (it strips types and runs the file): `tsc --noEmit` with the npm package `railway@3.11.0`,
# installed once into a cache folder. Fails on any type error, e.g. a key the SDK drops
# (`restarts`), `builder: "nixpacks"`, a reference to a variable a database does not have.
#   usage: ci/railway-ts-check.sh FILE...
# Environment: RAILCHECK_TS_CACHE (default ~/.cache/railcheck-ts), RAILWAY_SDK_VERSION,
# TYPESCRIPT_VERSION, TYPES_NODE_VERSION.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 FILE..." >&2
    exit 2
fi

# Pinned: on Node 20 an unpinned `npm i railway` resolves to an unrelated 2.x package.
sdk=${RAILWAY_SDK_VERSION:-3.11.0}
typescript=${TYPESCRIPT_VERSION:-5.9.3}
# Real files read process.env and call execSync; without Node's types those lines would be the
# only errors.
types_node=${TYPES_NODE_VERSION:-22.20.7}
cache=${RAILCHECK_TS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/railcheck-ts}/railway-$sdk-ts-$typescript-node-$types_node
modules=$cache/node_modules

installed_sdk=$(node -p "require('$modules/railway/package.json').version" 2>/dev/null || true)
if [ "$installed_sdk" != "$sdk" ] || [ ! -x "$modules/.bin/tsc" ]; then
    mkdir -p "$cache"
    # --ignore-scripts: only the .d.ts files are needed (the SDK's esbuild postinstall is not).
    npm install --silent --no-audit --no-fund --ignore-scripts --no-save --prefix "$cache" \
        "railway@$sdk" "typescript@$typescript" "@types/node@$types_node" >/dev/null
fi
installed_sdk=$(node -p "require('$modules/railway/package.json').version")
if [ "$installed_sdk" != "$sdk" ]; then
    echo "railway-ts-check: expected railway@$sdk in $modules, found $installed_sdk" >&2
    exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The checked files stay where they are (errors name them); `paths` points `railway/iac` at the
# package's own types, as `moduleResolution: bundler` would through its `exports` map.
files_json=$(node -e 'console.log(JSON.stringify(process.argv.slice(1).map((f) => require("path").resolve(f))))' "$@")
cat >"$work/tsconfig.json" <<EOF
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "ESNext",
    "moduleResolution": "bundler",
    "strict": true,
    "noEmit": true,
    "skipLibCheck": false,
    "allowImportingTsExtensions": true,
    "types": ["node"],
    "typeRoots": ["$modules/@types"],
    "baseUrl": "$work",
    "paths": {
      "railway/iac": ["$modules/railway/dist/iac/index.d.ts"],
      "railway": ["$modules/railway/dist/index.d.ts"]
    }
  },
  "files": $files_json
}
EOF

"$modules/.bin/tsc" --project "$work/tsconfig.json" --pretty false
echo "railway-ts-check: $# file(s) type-check against railway@$sdk"
