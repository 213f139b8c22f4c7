#!/usr/bin/env bash
# Tests .pre-commit-hooks.yaml with the real pre-commit (pip, in a cached venv):
# `pre-commit try-repo <this checkout> railcheck --all-files` must fail on a repository
# with findings and pass on a clean one. The `railcheck` hook is `language: rust`, so
# pre-commit builds it with `cargo install --path` from the checkout's HEAD plus its
# staged and modified tracked files (try-repo leaves untracked files out: commit or
# `git add` new files first).
#   usage: ci/pre-commit-check.sh
# Environment: PRE_COMMIT_VERSION (default 4.7.0).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

version=${PRE_COMMIT_VERSION:-4.7.0}
venv=${XDG_CACHE_HOME:-$HOME/.cache}/railcheck-ci/pre-commit-$version
if [ ! -x "$venv/bin/pre-commit" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pre-commit==$version"
fi
# `cargo install` builds in a temporary folder unless CARGO_TARGET_DIR is set: reuse ours.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

new_repo() {
    local dir=$work/$1
    mkdir -p "$dir/api" "$dir/docs"
    git -C "$dir" init --quiet
    # Not a config file: the hook's `files` pattern must keep it away from railcheck.
    printf '# notes\n' >"$dir/docs/railpack.md"
    printf '%s\n' "$2" >"$dir/api/railpack.json"
    printf '{ "deploy": { "startCommand": "node server.js" } }\n' >"$dir/railway.json"
    printf 'require("http").createServer((q, s) => s.end("ok")).listen(process.env.PORT);\n' >"$dir/server.js"
    git -C "$dir" add -A
    echo "$dir"
}

# An unknown provider (RC203, an error: Railpack then uses no provider at all) in a
# service's railpack.json.
bad=$(new_repo with-findings '{ "provider": "nodejs" }')
good=$(new_repo clean '{ "provider": "node" }')

status=0
hook=railcheck
try() {
    (cd "$1" && "$venv/bin/pre-commit" try-repo "$repo" "$hook" --all-files --color never) >"$work/log" 2>&1
}
if try "$bad"; then
    echo "FAIL: the hook passed on a repository with findings"
    status=1
elif ! grep -q 'RC203' "$work/log"; then
    echo "FAIL: the hook failed without reporting RC203"
    status=1
else
    echo "ok: the hook fails on a repository with findings"
fi
[ $status -eq 0 ] || cat "$work/log"

if try "$good" && grep -q '^railcheck\.*Passed' "$work/log"; then
    echo "ok: the hook passes on a clean repository"
else
    echo "FAIL: the hook failed on a clean repository"
    cat "$work/log"
    status=1
fi
# The `railcheck-system` hook, with the binary pre-commit just built on PATH.
built=$(find "$CARGO_TARGET_DIR/release" -maxdepth 1 -name railcheck -type f | head -1)
if [ -n "$built" ]; then
    hook=railcheck-system
    export PATH="$(dirname "$built"):$PATH"
    if try "$bad" || ! grep -q 'RC203' "$work/log"; then
        echo "FAIL: railcheck-system did not fail with RC203 on a repository with findings"
        cat "$work/log"
        status=1
    elif ! try "$good"; then
        echo "FAIL: railcheck-system failed on a clean repository"
        cat "$work/log"
        status=1
    else
        echo "ok: railcheck-system fails and passes the same way"
    fi
fi
exit $status
