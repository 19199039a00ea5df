#!/usr/bin/env bash
# Runs Stryker.NET over one target: mutation/run.sh caps|midas|passwords [extra stryker options]
# Stryker runs from the test project's folder (from the root it would take the .slnx as its context);
# reports go to StrykerOutput/TARGET/<time>/ at the root (ignored by git). Slow: run by hand, not in CI.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${1:?usage: mutation/run.sh TARGET (caps, midas, passwords)}"
shift
config="$root/mutation/stryker-$target.json"
[ -f "$config" ] || { echo "no config $config" >&2; exit 2; }
cd "$root"
dotnet tool restore >/dev/null
cd "$root/tests/Bulwark.Tests"
exec dotnet stryker --config-file "$config" --output "$root/StrykerOutput/$target/$(date -u +%Y-%m-%d.%H-%M-%S)" \
  --skip-version-check "$@"
