#!/usr/bin/env bash
# Runs Stryker.NET over one target: mutation/run.sh caps|midas|passwords [extra stryker options, e.g. --test-case-filter]
# A target is its config, mutation/stryker-TARGET.json, and any parts mutation/stryker-TARGET-PART.json,
# run one after the other: Stryker mutates one project per run, and the password protection lives in
# two (the machine's password unit, the kernel's side). `mutation/run.sh TARGET-PART` runs one part.
# Stryker runs from the test project's folder (from the root it would take the .slnx as its context).
# Each config builds into its own artifacts/stryker-NAME/ (ignored by git), so a run neither touches
# nor is touched by an ordinary build or another target's run; the tests find the repository by
# walking up from there. Reports go to StrykerOutput/NAME/<time>/ (ignored by git), or to $OUT
# ($OUT/NAME for a target of several parts).
# Slow (tens of minutes on 2 cores): run by hand, not in CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: mutation/run.sh TARGET (caps, midas, passwords, passwords-kernel)}"
shift
configs=()
[ -f "$root/mutation/stryker-$target.json" ] && configs+=("$root/mutation/stryker-$target.json")
for part in "$root/mutation/stryker-$target"-*.json; do [ -f "$part" ] && configs+=("$part"); done
[ ${#configs[@]} -gt 0 ] || { echo "no config $root/mutation/stryker-$target.json" >&2; exit 2; }
stamp="$(date -u +%Y-%m-%d.%H-%M-%S)"
cd "$root"
dotnet tool restore >/dev/null
cd "$root/tests/Bulwark.Tests"
status=0
for config in "${configs[@]}"; do
  name="$(basename "$config" .json)"
  name="${name#stryker-}"
  if [ -n "${OUT:-}" ]; then
    out="$OUT"
    [ ${#configs[@]} -gt 1 ] && out="$OUT/$name"
  else
    out="$root/StrykerOutput/$name/$stamp"
  fi
  echo "== mutation/run.sh: $name ($config)" >&2
  UseArtifactsOutput=true ArtifactsPath="$root/artifacts/stryker-$name" \
    dotnet stryker --config-file "$config" --output "$out" --skip-version-check "$@" || status=$?
done
exit $status
