#!/usr/bin/env bash
# build.sh DEST S3K: builds Bulwark's own s3k test programs (every folder here with an app0/) into DEST,
# against the course's user library, start files, default.ld and build.mk in S3K (the unpacked, built
# snapshot: .corpus/s3k), the way the course projects build, for the qemu_virt platform (one hart). The
# real kernel is built once from the snapshot with this folder's s3k_conf.h into DEST/kernel.elf. Nothing
# of the snapshot is copied into the repository: the build folders point at it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dest=$(realpath -m "${1:?destination}")
root=$(realpath "${2:?the built s3k snapshot}")
cc="riscv64-unknown-elf-gcc -ffreestanding -isystem /usr/lib/picolibc/riscv64-unknown-elf/include"
export PLATFORM=qemu_virt ROOT="$root" S3K_CONF_H="$here/s3k_conf.h"
rm -rf "$dest"; mkdir -p "$dest"
make -C "$root/common" CC="$cc" >"$dest/common.log" 2>&1 || { echo "s3k-programs: the user library did not build (see $dest/common.log)" >&2; exit 1; }
make -C "$root/kernel" CC="$cc" BUILD="$dest/kernel-build" >"$dest/kernel.log" 2>&1 || { echo "s3k-programs: the kernel did not build (see $dest/kernel.log)" >&2; exit 1; }
cp "$dest/kernel-build/kernel.elf" "$dest/kernel.elf"
for dir in "$here"/*/; do
    name=$(basename "$dir")
    [ -d "$dir/app0" ] || continue
    work="$dest/$name"; mkdir -p "$work"
    # A program may name another platform of the snapshot (revoke/ runs on qemu_virt4, the exercise's).
    platform=qemu_virt; [ -f "$dir/platform" ] && platform=$(cat "$dir/platform")
    if [ ! -f "$dest/common.$platform.built" ]; then
        PLATFORM=$platform make -C "$root/common" CC="$cc" >>"$dest/common.log" 2>&1 || { echo "s3k-programs: the user library did not build for $platform (see $dest/common.log)" >&2; exit 1; }
        touch "$dest/common.$platform.built"
    fi
    ln -s "$root/projects/hello/default.ld" "$work/default.ld"
    for app in "$dir"app*/; do
        app=$(basename "$app")
        ln -s "$dir$app" "$work/$app"; ln -s "$here/$app.ld" "$work/$app.ld"
        (cd "$work" && PLATFORM=$platform make -f "$root/projects/build.mk" PROGRAM="$app" BUILD="$work/build" CC="$cc" INC="-I$here/lib" >>"$work/build.log" 2>&1) ||
            { echo "s3k-programs: $name/$app did not build:" >&2; cat "$work/build.log" >&2; exit 1; }
        cp "$work/build/$app.elf" "$dest/$name.$app.elf"
    done
    echo "s3k-programs: built $name"
done
