#!/usr/bin/env bash
# Runs every line of suite.txt under qemu-riscv64 and under Bulwark without and with
# --protect midas, checks that the three stdouts are identical and every run exits 0, and prints
# the guest instruction count and host time of the two Bulwark runs.
# Usage: verify.sh [LABEL...]   (default: every line)   BULWARK=path/to/bulwark to override.
set -uo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
BULWARK="${BULWARK:-$DIR/../../src/Bulwark.Cli/bin/Release/net10.0/bulwark}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail=0

# stat NAME FILE: the value of one --stats counter, digits only.
stat() { grep -E "^ *$1 " "$2" | head -n 1 | sed -E "s/^ *$1 +//; s/[ ,]//g; s/s$//"; }

printf '%-20s %12s %8s %12s %8s  %s\n' LABEL instr host_s instr_midas host_s RESULT
while read -r label elf args; do
    [[ -z "$label" || "$label" == \#* ]] && continue
    if [ $# -gt 0 ] && [[ " $* " != *" $label "* ]]; then continue; fi
    # shellcheck disable=SC2086
    qemu-riscv64 "./$elf" $args >"$tmp/q" 2>"$tmp/qe"; qs=$?
    # shellcheck disable=SC2086
    "$BULWARK" run --stats "./$elf" $args >"$tmp/b" 2>"$tmp/be"; bs=$?
    # shellcheck disable=SC2086
    "$BULWARK" run --stats --protect midas "./$elf" $args >"$tmp/m" 2>"$tmp/me"; ms=$?
    result=ok
    if [ $qs -ne 0 ] || [ $bs -ne 0 ] || [ $ms -ne 0 ]; then result="STATUS qemu=$qs bulwark=$bs midas=$ms"; fi
    if ! cmp -s "$tmp/q" "$tmp/b" || ! cmp -s "$tmp/q" "$tmp/m"; then
        result="$result DIFF qemu='$(cat "$tmp/q")' bulwark='$(cat "$tmp/b")' midas='$(cat "$tmp/m")'"
    fi
    [ "$result" = ok ] || fail=1
    printf '%-20s %12s %8s %12s %8s  %s\n' "$label" "$(stat instructions "$tmp/be")" "$(stat 'host time' "$tmp/be")" \
        "$(stat instructions "$tmp/me")" "$(stat 'host time' "$tmp/me")" "$result"
done <suite.txt
exit "$fail"
