#!/usr/bin/env bash
# Rebuilds the differential-test guests and records their expected results from qemu-riscv64.
#   tests/guests/NAME.c      -> NAME.elf     (riscv64-linux-gnu-gcc -O2 -static -pthread ... -lm)
#   NAME.args (optional)     one line of arguments; @DATA@ is replaced by the absolute path of tests/guests/data
#   NAME.stdin (optional)    fed to stdin (otherwise /dev/null)
#   NAME.exec (optional)     the case runs other programs: recorded under with-binfmt.sh, where an execve of a riscv64
#                            ELF runs it under qemu-riscv64 (a binfmt_misc registration in a private user namespace)
#   -> NAME.stdout           exact stdout bytes under qemu-riscv64
#   -> NAME.status           exit status as bash reports it ($?: exit code, or 128+N for death by signal N)
# Each case is run RUNS times (default 3); differing stdout or status between runs is an error.
# Usage: regen.sh [NAME...]   (default: every *.c)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
RUNS="${RUNS:-3}"
CC=riscv64-linux-gnu-gcc
QEMU=qemu-riscv64

if ! command -v "$CC" >/dev/null 2>&1 || ! command -v "$QEMU" >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update
    $SUDO apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user
fi

if [ $# -gt 0 ]; then
    names=("$@")
else
    names=()
    for src in *.c; do names+=("${src%.c}"); done
fi

# Run one case under qemu; writes stdout to $2, prints the status.
run_case() {
    local name="$1" out="$2" args="" input=/dev/null
    if [ -f "$name.args" ]; then
        args="$(head -n 1 "$name.args")"
        args="${args//@DATA@/$DIR/data}"
    fi
    if [ -f "$name.stdin" ]; then input="$name.stdin"; fi
    # Subshell: no core files, fixed 8 MiB stack, empty environment; word-splitting of $args is intended.
    # shellcheck disable=SC2086
    (
        ulimit -c 0
        ulimit -s 8192
        # A case marked NAME.exec runs other programs: execve of a riscv64 ELF must reach qemu too.
        if [ -f "$name.exec" ]; then
            exec "$DIR/with-binfmt.sh" env -i "$QEMU" "$DIR/$name.elf" $args <"$input" >"$out" 2>/dev/null
        fi
        exec env -i "$QEMU" "./$name.elf" $args <"$input" >"$out" 2>/dev/null
    ) && status=0 || status=$?
    echo "$status"
}

fail=0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

for name in "${names[@]}"; do
    echo "building $name"
    case "$name" in
        pie_nolibc) "$CC" -O2 -nostdlib -fPIE -pie -Wl,--no-dynamic-linker -o "$name.elf" "$name.c" ;;
        *) "$CC" -O2 -static -pthread -o "$name.elf" "$name.c" -lm ;;
    esac
done

for name in "${names[@]}"; do
    # A case marked NAME.no-qemu has no oracle (e.g. it hangs under qemu by design): build it only.
    if [ -f "$name.no-qemu" ]; then
        printf '%-16s built only (%s)\n' "$name" "$(head -n 1 "$name.no-qemu")"
        continue
    fi
    status="$(run_case "$name" "$tmp/$name.out.0")"
    for ((i = 1; i < RUNS; i++)); do
        s="$(run_case "$name" "$tmp/$name.out.$i")"
        if [ "$s" != "$status" ] || ! cmp -s "$tmp/$name.out.0" "$tmp/$name.out.$i"; then
            echo "NONDETERMINISTIC: $name (run $i: status $s vs $status)" >&2
            diff "$tmp/$name.out.0" "$tmp/$name.out.$i" >&2 || true
            fail=1
        fi
    done
    cp "$tmp/$name.out.0" "$name.stdout"
    echo "$status" >"$name.status"
    printf '%-16s status=%-4s stdout=%s bytes\n' "$name" "$status" "$(wc -c <"$name.stdout")"
done

# Real-world programs from Debian source packages (real/): built and recorded by their own script, only on a full regen.
if [ $# -eq 0 ]; then "$DIR/real/build.sh" || { echo "FAILED: real/build.sh" >&2; fail=1; }; fi

exit "$fail"
