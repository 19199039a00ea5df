#!/usr/bin/env bash
# Builds the benchmark guests: bench/guests/NAME.c -> NAME.elf, static riscv64 Linux ELF files.
# Installs Debian's riscv64 cross compiler if it is missing.
# Usage: build.sh [NAME...]   (default: every *.c)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
CC=riscv64-linux-gnu-gcc

if ! command -v "$CC" >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    $SUDO apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
fi

if [ $# -gt 0 ]; then
    names=("$@")
else
    names=()
    for src in *.c; do names+=("${src%.c}"); done
fi

for name in "${names[@]}"; do
    echo "building $name"
    "$CC" -O2 -static -pthread -Wall -Wextra -o "$name.elf" "$name.c"
done
