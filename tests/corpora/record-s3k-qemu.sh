#!/usr/bin/env bash
# Records what the real s3k kernel prints on qemu-system-riscv64 for every course project (the oracle of
# tests/Bulwark.Tests/SystemBoard/S3kCourseTests): runs ../shared/oracles/s3k/run-qemu.sh on the projects
# built by build.sh, twice, keeps the first 100 lines, and reports a project whose two runs differ
# (the timing-dependent ones are compared by properties, not bytes).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
oracles=${BULWARK_ORACLES:-$repo/../shared/oracles}
projects=$repo/.corpus/s3k/projects
out=$repo/tests/corpora/s3k-qemu
seconds=${SECONDS_PER_RUN:-8}
bash "$repo/tests/corpora/build.sh"
mkdir -p "$out"
for dir in "$projects"/*/; do
    name=$(basename "$dir")
    ls -d "$dir"build/*/ >/dev/null 2>&1 || continue
    bash "$oracles/s3k/run-qemu.sh" "$dir" "$seconds" > "$out/.first" 2>&1 || true
    bash "$oracles/s3k/run-qemu.sh" "$dir" "$seconds" > "$out/.second" 2>&1 || true
    first=$(tr -d '\r' < "$out/.first" | sed -n '1,100p')
    second=$(tr -d '\r' < "$out/.second" | sed -n '1,100p')
    rm -f "$out/.first" "$out/.second"
    printf '%s\n' "$first" > "$out/$name.txt"
    if [ "$first" = "$second" ]; then echo "$name: same in two runs"; else echo "$name: DIFFERS between runs (timing-dependent)"; fi
done
