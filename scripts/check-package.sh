#!/usr/bin/env bash
# The package as a user installs it: `npm pack`, then the tarball installed globally into a
# temporary prefix, and the installed `matcalc` run from there (its version and one gradient with
# the numeric check). Run by .ci/run after the tests; needs the package registry for the
# dependencies, as any install does.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# npm pack builds first (the prepare script); MATCALC_BUILT=1 (.ci/run, after npm test's build) packs
# the dist/ that is there instead of building it a third time.
pack_flags=()
if [ "${MATCALC_BUILT:-}" = 1 ]; then
  [ -f dist/src/cli/matcalc.js ] || { echo "check-package: MATCALC_BUILT=1 but dist/ has no build" >&2; exit 1; }
  pack_flags=(--ignore-scripts)
fi
tarball=$(npm pack --silent "${pack_flags[@]}" --pack-destination "$work" | tail -n 1)
npm install -g --prefix "$work/prefix" "$work/$tarball" --no-audit --no-fund --loglevel=error
bin="$work/prefix/bin/matcalc"
version=$("$bin" --version)
expected=$(node -p "require('./package.json').version")
if [ "$version" != "$expected" ]; then
  echo "check-package: the installed matcalc says version '$version', package.json says '$expected'" >&2
  exit 1
fi
# The installed bin starts from the start-up snapshot the build wrote (the blob holds no path of the
# folder it was built in), when this Node built it.
cli_dir=$(dirname "$(readlink -f "$bin")")
if [ "$(cat "$cli_dir/matcalc.snapshot.node" 2>/dev/null)" = "$(node --version)" ]; then
  sh -x "$bin" --version 2>&1 >/dev/null | grep -q -- '--snapshot-blob' || { echo "check-package: the installed matcalc does not start from its start-up snapshot" >&2; exit 1; }
fi
out=$("$bin" grad "aᵀexp(Xb)" --wrt X)
echo "$out"
grep -q "check   passed" <<<"$out" || { echo "check-package: the installed matcalc did not pass its check" >&2; exit 1; }
# The man page (package.json "man") and the completion scripts come with the install.
page="$work/prefix/share/man/man1/matcalc.1"
[ -f "$page" ] || { echo "check-package: the man page was not installed ($page)" >&2; exit 1; }
if command -v man >/dev/null 2>&1; then
  MANPATH="$work/prefix/share/man" man matcalc | grep -q "matcalc" || { echo "check-package: man matcalc shows nothing" >&2; exit 1; }
fi
"$bin" completion bash | bash -n || { echo "check-package: the installed matcalc's bash completion does not parse" >&2; exit 1; }
# batch --jobs starts worker threads on the installed bin: the same lines as one thread.
for i in $(seq 1 150); do echo "{\"expr\": \"a'*X*b + $i*tr(X)\", \"wrt\": \"X\", \"id\": $i}"; done >"$work/requests.jsonl"
"$bin" batch --no-check "$work/requests.jsonl" >"$work/one.jsonl"
"$bin" batch --no-check --jobs 2 "$work/requests.jsonl" >"$work/two.jsonl"
cmp -s "$work/one.jsonl" "$work/two.jsonl" && [ "$(wc -l <"$work/two.jsonl")" -eq 150 ] || { echo "check-package: the installed matcalc's batch --jobs 2 differs from one thread" >&2; exit 1; }
echo "check-package: $tarball installs globally and runs (matcalc $version), with its man page and completion"
