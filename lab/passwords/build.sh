#!/usr/bin/env bash
# Builds the password lab's guests (Bulwark-only: they use pwd.h's system calls and instructions,
# which qemu-user lacks) with Debian's riscv64 cross compiler, and checks that the header also builds
# with clang when one is installed. Usage: build.sh [NAME...]
set -euo pipefail
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
INCLUDE="$DIR/../../guest/include"
CC=riscv64-linux-gnu-gcc
if ! command -v "$CC" >/dev/null 2>&1; then
    SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    $SUDO apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
fi
if [ $# -gt 0 ]; then names=("$@"); else names=(); for src in *.c; do names+=("${src%.c}"); done; fi
CLANG="$(command -v clang || command -v clang-14 || true)"
for name in "${names[@]}"; do
    echo "building $name"
    "$CC" -O2 -static -Wall -Wextra -Werror -I"$INCLUDE" -o "$name.elf" "$name.c"
    if [ -n "$CLANG" ]; then
        "$CLANG" --target=riscv64-linux-gnu -march=rv64gc -O2 -Wall -Wextra -Werror -I"$INCLUDE" \
            --sysroot=/usr/riscv64-linux-gnu -isystem /usr/riscv64-linux-gnu/include -c -o /dev/null "$name.c"
    fi
done
