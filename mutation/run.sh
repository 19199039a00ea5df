#!/usr/bin/env bash
# Runs Stryker.NET over one target: mutation/run.sh caps|midas [extra stryker options, e.g. --test-case-filter]
# Stryker runs from the test project's folder (from the root it would take the .slnx as its context).
# Each target builds into its own artifacts/stryker-TARGET/ (ignored by git), so a run neither touches
# nor is touched by an ordinary build or another target's run; the tests find the repository by
# walking up from there. Reports go to StrykerOutput/TARGET/<time>/ (ignored by git), or to $OUT.
# Slow (tens of minutes on 2 cores): run by hand, not in CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: mutation/run.sh TARGET (caps, midas)}"
shift
config="$root/mutation/stryker-$target.json"
[ -f "$config" ] || { echo "no config $config" >&2; exit 2; }
out="${OUT:-$root/StrykerOutput/$target/$(date -u +%Y-%m-%d.%H-%M-%S)}"
cd "$root"
dotnet tool restore >/dev/null
cd "$root/tests/Bulwark.Tests"
export UseArtifactsOutput=true ArtifactsPath="$root/artifacts/stryker-$target"
exec dotnet stryker --config-file "$config" --output "$out" --skip-version-check "$@"
