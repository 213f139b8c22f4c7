#!/usr/bin/env bash
# Validates railcheck's SARIF with Microsoft's SARIF validator (@microsoft/sarif-multitool,
# installed with npm into a cache folder). Fails on any validator error or warning, and
# when the guide monorepo yields no result at all.
#   usage: ci/sarif-check.sh [PROJECT...]   (default: fixtures/guide-monorepo)
# Environment: RAILCHECK (binary; default: a release build), SARIF_MULTITOOL_VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

version=${SARIF_MULTITOOL_VERSION:-5.7.0}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/railcheck-ci/sarif-multitool-$version
tool=$cache/node_modules/.bin/sarif-multitool
if [ ! -x "$tool" ]; then
    mkdir -p "$cache"
    npm install --silent --no-audit --no-fund --prefix "$cache" "@microsoft/sarif-multitool@$version" >/dev/null
fi
# npm may skip the package's postinstall (`chmod u+x`); do it ourselves.
chmod u+x "$cache"/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool 2>/dev/null || true

if [ -z "${RAILCHECK:-}" ]; then
    cargo build --release --quiet
    RAILCHECK=${CARGO_TARGET_DIR:-$repo/target}/release/railcheck
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A project whose paths need URI encoding and whose findings include a parse error,
# and a duplicate key with related locations.
odd="$work/odd project/a #1 %/é"
mkdir -p "$odd"
printf '{\n  "provider": "node",,\n}\n' >"$odd/railpack.json"
printf '{\n  "deploy": {},\n  "deploy": {}\n}\n' >"$work/odd project/railpack.json"

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then projects=(fixtures/guide-monorepo); fi
projects+=("$work/odd project")

status=0
for project in "${projects[@]}"; do
    out="$work/$(basename "$project" | tr -c 'A-Za-z0-9\n' _).sarif"
    # Exit 1 (findings) is expected; 2 is not.
    rc=0
    "$RAILCHECK" validate "$project" --format sarif --output-file "$out" || rc=$?
    if [ "$rc" -gt 1 ]; then
        echo "FAIL: railcheck exited $rc on $project"
        status=1
        continue
    fi
    "$tool" validate "$out" --output "$out.validation.sarif" --log ForceOverwrite --level Error Warning Note --quiet >/dev/null
    python3 - "$project" "$out" "$out.validation.sarif" <<'PY' || status=1
import json, sys
project, produced, validation = sys.argv[1:]
doc = json.load(open(produced))
results = doc["runs"][0]["results"]
found = json.load(open(validation))["runs"][0]["results"]
bad = [r for r in found if r.get("level", "warning") in ("error", "warning")]
notes = sorted({r["ruleId"] for r in found} - {r["ruleId"] for r in bad})
for r in bad:
    message = r["message"].get("text") or " ".join(r["message"].get("arguments", []))
    print(f'  {r.get("level", "warning")} {r["ruleId"]}: {message}')
ok = not bad and results
print(f'{"ok" if ok else "FAIL"}: {project}: {len(results)} results, '
      f'{len(bad)} validator errors/warnings, notes: {", ".join(notes) or "none"}')
sys.exit(0 if ok else 1)
PY
done
exit $status
