#!/usr/bin/env bash
# Builds real-world guests from Debian bookworm source packages and records their expected results under qemu-riscv64.
#   bzip2.elf  bzip2 (Debian source package bzip2), static, -O2 -D_FILE_OFFSET_BITS=64
#   lua.elf    the lua interpreter (Debian source package lua5.4), static, -O2 -DLUA_USE_POSIX
#   zstd.elf   the zstd CLI (Debian source package libzstd), static, -O2, multithreaded (ZSTD_MULTITHREAD, -pthread)
#   lz4.elf    the lz4 CLI (Debian source package lz4), static, -O2
#   sqlite3.elf the SQLite shell (Debian source package sqlite3): its amalgamation made by upstream's configure and
#              make (which need tclsh), static, -O2, without loadable extensions
#   busybox.elf busybox (Debian source package busybox), upstream's defconfig made static; busybox/applets/ holds the
#              applet names the ash script runs, as links to it. Its cases run other programs through execve, so
#              they are recorded under ../with-binfmt.sh, where qemu-riscv64 runs what they exec.
# Then every case of cases.txt ("CASE_NAME PROGRAM ARGS...", @REAL@ = this directory's absolute path) runs RUNS times
# (default 3) under qemu-riscv64 with an empty environment, stdin from /dev/null, an 8 MiB stack and no core dumps;
# any difference between runs is an error. Results go to expected/CASE_NAME.stdout and expected/CASE_NAME.status.
# Debian sources are unpacked into a temporary directory, never into the repository.
# Usage: build.sh [--no-build]   (--no-build: keep the committed ELF files, only re-record the expected results)
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$DIR"
RUNS="${RUNS:-3}"
CC=riscv64-linux-gnu-gcc
QEMU=qemu-riscv64
BUILD=1
if [ "${1:-}" = "--no-build" ]; then BUILD=0; fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$BUILD" = 1 ]; then
    # (a) Toolchain, qemu-user and dpkg-dev (dpkg-source, used by apt-get source).
    if ! command -v "$CC" >/dev/null 2>&1 || ! command -v "$QEMU" >/dev/null 2>&1 || ! command -v dpkg-source >/dev/null 2>&1; then
        $SUDO apt-get update
        $SUDO apt-get install -y gcc-riscv64-linux-gnu libc6-dev-riscv64-cross qemu-user dpkg-dev
    fi
    if ! command -v tclsh >/dev/null 2>&1; then $SUDO apt-get install -y tcl; fi
    # A deb-src entry for bookworm, in either the one-line or the deb822 format.
    if ! grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
        echo "adding a deb-src entry for bookworm"
        printf '%s\n' 'Types: deb-src' 'URIs: http://deb.debian.org/debian' 'Suites: bookworm bookworm-updates' \
            'Components: main' 'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' |
            $SUDO tee /etc/apt/sources.list.d/bookworm-src.sources >/dev/null
        $SUDO apt-get update
    fi
    # The versions the committed results were recorded with; fall back to whatever bookworm has now.
    src="$tmp/src"
    mkdir -p "$src"
    (
        cd "$src"
        apt-get source bzip2=1.0.8-5 || apt-get source bzip2
        apt-get source lua5.4=5.4.4-3+deb12u1 || apt-get source lua5.4
        apt-get source libzstd=1.5.4+dfsg2-5 || apt-get source libzstd
        apt-get source lz4=1.9.4-1 || apt-get source lz4
        apt-get source sqlite3=3.40.1-2+deb12u2 || apt-get source sqlite3
        apt-get source busybox=1:1.35.0-4+deb12u1 || apt-get source busybox
    ) 2>&1 | grep -E 'extracting|unpacking|^E:|^W: Unable' || true
    bzdir="$(find "$src" -maxdepth 1 -type d -name 'bzip2-*' | head -n 1)"
    luadir="$(find "$src" -maxdepth 1 -type d -name 'lua5.4-*' | head -n 1)"
    zstddir="$(find "$src" -maxdepth 1 -type d -name 'libzstd-*' | head -n 1)"
    lz4dir="$(find "$src" -maxdepth 1 -type d -name 'lz4-*' | head -n 1)"
    sqlitedir="$(find "$src" -maxdepth 1 -type d -name 'sqlite3-*' | head -n 1)"
    bbdir="$(find "$src" -maxdepth 1 -type d -name 'busybox-*' | head -n 1)"
    if [ -z "$bzdir" ] || [ -z "$luadir" ] || [ -z "$zstddir" ] || [ -z "$lz4dir" ] || [ -z "$sqlitedir" ] || [ -z "$bbdir" ]; then
        echo "apt-get source failed" >&2
        exit 1
    fi
    ls "$src"/*.dsc

    # (b) Build.
    echo "building bzip2.elf from $(basename "$bzdir")"
    (
        cd "$bzdir"
        "$CC" -O2 -static -D_FILE_OFFSET_BITS=64 -o "$DIR/bzip2.elf" \
            bzip2.c blocksort.c huffman.c crctable.c randtable.c compress.c decompress.c bzlib.c
    )
    echo "building lua.elf from $(basename "$luadir")"
    (
        cd "$luadir/src"
        # Debian's luaconf.h includes a header that debian/rules generates; it names the multiarch triplet.
        printf '%s\n' '#ifndef _LUA_DEB_MULTIARCH_' '#define _LUA_DEB_MULTIARCH_' \
            '#define DEB_HOST_MULTIARCH "riscv64-linux-gnu"' '#endif' >lua5.4-deb-multiarch.h
        srcs=()
        for f in *.c; do [ "$f" = luac.c ] || srcs+=("$f"); done
        "$CC" -O2 -static -DLUA_USE_POSIX -o "$DIR/lua.elf" "${srcs[@]}" -lm
    )
    echo "building zstd.elf from $(basename "$zstddir")"
    (
        cd "$zstddir"
        # Upstream's Makefile; CFLAGS replaces its -O3 and warning flags. It adds -DZSTD_MULTITHREAD when $CC can link a
        # pthread program, and -DZSTD_LEGACY_SUPPORT=5; LDFLAGS given here replaces its -pthread, so pass that too.
        make -C programs zstd -j"$(nproc)" CC="$CC" CFLAGS=-O2 LDFLAGS="-static -pthread" \
            HAVE_ZLIB=0 HAVE_LZMA=0 HAVE_LZ4=0 >"$tmp/zstd-make.log" 2>&1 || { cat "$tmp/zstd-make.log" >&2; exit 1; }
        if ! grep -q 'building with threading support' "$tmp/zstd-make.log"; then
            echo "zstd was built without multithreading" >&2
            exit 1
        fi
        cp programs/zstd "$DIR/zstd.elf"
    )
    echo "building lz4.elf from $(basename "$lz4dir")"
    (
        cd "$lz4dir"
        # Debian's 0001-Fix-static-link.patch makes the lz4 link also use -L../lib -llz4, so build liblz4.a first
        # (its objects are the ones the program links anyway).
        make -C lib liblz4.a CC="$CC" CFLAGS=-O2 >"$tmp/lz4-make.log" 2>&1 &&
            make -C programs lz4 -j"$(nproc)" CC="$CC" CFLAGS=-O2 LDFLAGS=-static >>"$tmp/lz4-make.log" 2>&1 ||
            { cat "$tmp/lz4-make.log" >&2; exit 1; }
        cp programs/lz4 "$DIR/lz4.elf"
    )
    echo "building sqlite3.elf from $(basename "$sqlitedir")"
    (
        # The source package holds upstream's tree, not the amalgamation; its configure and make (on the host)
        # generate sqlite3.c and shell.c, which are then compiled for riscv64.
        mkdir -p "$sqlitedir/bld"
        cd "$sqlitedir/bld"
        { ../configure --disable-tcl && make sqlite3.c shell.c; } >"$tmp/sqlite-make.log" 2>&1 || { cat "$tmp/sqlite-make.log" >&2; exit 1; }
        "$CC" -O2 -static -DSQLITE_OMIT_LOAD_EXTENSION -DSQLITE_THREADSAFE=1 -o "$DIR/sqlite3.elf" shell.c sqlite3.c -lpthread -lm
    )
    echo "building busybox.elf from $(basename "$bbdir")"
    (
        cd "$bbdir"
        { make defconfig && sed -i 's/^# CONFIG_STATIC is not set/CONFIG_STATIC=y/' .config && make oldconfig </dev/null &&
            make -j"$(nproc)" CROSS_COMPILE="${CC%gcc}" busybox; } >"$tmp/busybox-make.log" 2>&1 ||
            { cat "$tmp/busybox-make.log" >&2; exit 1; }
        cp busybox "$DIR/busybox.elf"
    )
fi

# (c) Record.
# Runs one case under qemu; $1 = program, $2 = stdout file, rest = arguments. Prints the status as bash reports it.
run_case() {
    local prog="$1" out="$2"
    shift 2
    (
        ulimit -c 0
        ulimit -s 8192
        # A program that runs others through execve (busybox's shell) needs qemu to run those too.
        if [ "$prog" = busybox ]; then
            exec "$DIR/../with-binfmt.sh" env -i "$QEMU" "$DIR/$prog.elf" "$@" </dev/null >"$out" 2>/dev/null
        fi
        exec env -i "$QEMU" "$DIR/$prog.elf" "$@" </dev/null >"$out" 2>/dev/null
    ) && status=0 || status=$?
    echo "$status"
}

mkdir -p expected
rm -f expected/*.stdout expected/*.status
fail=0
while read -r line; do
    case "$line" in '' | '#'*) continue ;; esac
    line="${line//@REAL@/$DIR}"
    read -r -a words <<<"$line"
    name="${words[0]}" prog="${words[1]}"
    args=("${words[@]:2}")
    status="$(run_case "$prog" "$tmp/$name.out.0" "${args[@]}")"
    for ((i = 1; i < RUNS; i++)); do
        s="$(run_case "$prog" "$tmp/$name.out.$i" "${args[@]}")"
        if [ "$s" != "$status" ] || ! cmp -s "$tmp/$name.out.0" "$tmp/$name.out.$i"; then
            echo "NONDETERMINISTIC: $name (run $i: status $s vs $status)" >&2
            fail=1
        fi
    done
    cp "$tmp/$name.out.0" "expected/$name.stdout"
    echo "$status" >"expected/$name.status"
    printf '%-26s status=%-4s stdout=%s bytes\n' "$name" "$status" "$(wc -c <"expected/$name.stdout")"
done <cases.txt

exit "$fail"
