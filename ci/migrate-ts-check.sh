#!/usr/bin/env bash
# Proof against the real SDK: `railcheck migrate --write` on copies of a guide-layout fixture
# and of a Config-as-Code fixture, then `tsc --noEmit` on the railway.ts it wrote (against
# railway@3.11.0, via ci/railway-ts-check.sh), then `validate` must read the health checks from
# `.railway/railway.ts`. Also type-checks the railway.ts fixtures meant to be valid.
#   usage: ci/migrate-ts-check.sh   (after `cargo build --release`)
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${RAILCHECK_BIN:-${CARGO_TARGET_DIR:-target}/release/railcheck}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

generated=()
for fixture in fixtures/guide-monorepo fixtures/rules/RC206/fire; do
    copy=$tmp/$(echo "$fixture" | tr / _)
    cp -r "$fixture" "$copy"
    "$bin" migrate --write "$copy" >/dev/null
    test -f "$copy/.railway/railway.ts" || { echo "no railway.ts written for $fixture" >&2; exit 1; }
    # validate may exit 1 on unrelated findings (the guide fixture keeps its lockfile errors).
    "$bin" validate --format json "$copy" >"$copy.json" || [ $? -eq 1 ]
    node -e '
        {
            const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
            const bad = r.services.filter((x) => !x.health_check || x.health_check.file !== ".railway/railway.ts");
            if (bad.length) { console.error("health checks not read from railway.ts:", bad.map((x) => x.name)); process.exit(1); }
        }' "$copy.json"
    generated+=("$copy/.railway/railway.ts")
done

# Fixtures meant to be valid TypeScript for the SDK (the others hold mistakes on purpose).
ci/railway-ts-check.sh "${generated[@]}" \
    fixtures/ready-monorepo/.railway/railway.ts \
    fixtures/iac-project/.railway/railway.ts \
    fixtures/iac-leftover/.railway/railway.ts
echo "railway.ts from migrate and the valid fixtures type-check against railway@3.11.0"
