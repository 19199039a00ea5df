#!/usr/bin/env bash
# Builds the third-party test corpora once into DEST (default: .corpus/ at the repository root), from the
# snapshots in ../shared/oracles (beside the repository): the RISC-V ISA suite and the s3k kernel with its
# course projects. Their build scripts install Debian's cross compilers when missing (as root, or via sudo).
# Then Bulwark's own s3k test programs (tests/s3k-programs) against the built snapshot, into
# DEST/s3k-programs. Stamps of the snapshots' checksums (and of the programs' sources) make a second call
# a no-op; nothing built here is committed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
oracles=${BULWARK_ORACLES:-$repo/../shared/oracles}
dest=${1:-$repo/.corpus}
if [ ! -d "$oracles" ]; then
    echo "corpora: $oracles not found (the shared oracles must sit beside the repository, or set BULWARK_ORACLES)" >&2
    exit 1
fi
mkdir -p "$dest"
stamp=$(cat "$oracles"/riscv-tests/*.tar.gz "$oracles"/riscv-tests/build.sh "$oracles"/s3k/*.tar.gz "$oracles"/s3k/build.sh | sha256sum | cut -d' ' -f1)
if [ -f "$dest/stamp" ] && [ "$(cat "$dest/stamp")" = "$stamp" ]; then
    echo "corpora: up to date in $dest"
else
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then apt="sudo apt-get"; else apt="apt-get"; fi
    # The ISA suite's script assumes the Linux cross compiler; the s3k one installs what it needs itself.
    if ! command -v riscv64-linux-gnu-gcc >/dev/null; then $apt update -qq && DEBIAN_FRONTEND=noninteractive $apt install -y -qq gcc-riscv64-linux-gnu >/dev/null; fi
    rm -rf "$dest/isa" "$dest/s3k" "$dest/stamp" "$dest/s3k-programs"
    bash "$oracles/riscv-tests/build.sh" "$dest/isa"
    bash "$oracles/s3k/build.sh" "$dest/s3k"
    echo "$stamp" > "$dest/stamp"
    echo "corpora: built in $dest"
fi
programs=$repo/tests/s3k-programs
pstamp=$( (echo "$stamp"; cd "$programs" && find . -type f -o -type l | LC_ALL=C sort | while read -r f; do echo "$f"; [ -f "$f" ] && cat "$f"; done) | sha256sum | cut -d' ' -f1)
if [ -f "$dest/s3k-programs/stamp" ] && [ "$(cat "$dest/s3k-programs/stamp")" = "$pstamp" ]; then
    echo "corpora: s3k test programs up to date in $dest/s3k-programs"
else
    bash "$programs/build.sh" "$dest/s3k-programs" "$dest/s3k"
    echo "$pstamp" > "$dest/s3k-programs/stamp"
fi
