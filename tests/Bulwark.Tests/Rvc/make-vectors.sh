#!/usr/bin/env bash
# Regenerates rvc-vectors.txt: pairs of (16-bit RV64C encoding, 32-bit RV64G expansion), both
# encoded by the GNU assembler rather than by hand, so the bit scrambling of the compressed
# immediates is checked against an independent implementation.
#
# Each pair is written as an explicit compressed instruction (assembled with -march=rv64gc) and
# its architectural expansion per the RISC-V unprivileged spec, chapter "C" (assembled with
# -march=rv64g). We cannot let gas compress ordinary instructions itself: it picks equivalent but
# different forms (e.g. `addi a0,a0,0` becomes c.mv, whose expansion is `add a0,x0,a0`), and it
# refuses to compress most HINTs.
#
# Usage: ./make-vectors.sh            (needs riscv64-linux-gnu-as and riscv64-linux-gnu-objcopy)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$here/rvc-vectors.txt"
AS=${AS:-riscv64-linux-gnu-as}
OBJCOPY=${OBJCOPY:-riscv64-linux-gnu-objcopy}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cforms=()
gforms=()
pair() { cforms+=("$1"); gforms+=("$2"); }

creg=(x8 x9 x10 x11 x12 x13 x14 x15)                   # registers reachable from 3-bit fields
fcreg=(f8 f9 f10 f11 f12 f13 f14 f15)
nzreg=(x1 x3 x4 x5 x8 x10 x15 x16 x17 x20 x26 x31)     # a spread of nonzero full registers
                                                       # (x2 is special-cased per instruction)

# ---------------- Quadrant 0 ----------------
i=0
for imm in 4 8 12 16 32 64 128 256 508 512 1020 1016 100; do
    for k in 0 5; do
        rd=${creg[$(( (i + k) % 8 ))]}
        pair "c.addi4spn $rd, x2, $imm" "addi $rd, x2, $imm"
    done
    i=$((i + 1))
done

i=0
for off in 0 8 16 24 32 64 128 200 248; do
    a=${creg[$(( i % 8 ))]}; b=${creg[$(( (i * 3 + 1) % 8 ))]}
    fa=${fcreg[$(( (i + 4) % 8 ))]}
    pair "c.ld $a, $off($b)"   "ld $a, $off($b)"
    pair "c.sd $a, $off($b)"   "sd $a, $off($b)"
    pair "c.fld $fa, $off($b)" "fld $fa, $off($b)"
    pair "c.fsd $fa, $off($b)" "fsd $fa, $off($b)"
    i=$((i + 1))
done
i=0
for off in 0 4 8 12 16 32 64 68 100 124; do
    a=${creg[$(( i % 8 ))]}; b=${creg[$(( (i * 5 + 2) % 8 ))]}
    pair "c.lw $a, $off($b)" "lw $a, $off($b)"
    pair "c.sw $a, $off($b)" "sw $a, $off($b)"
    i=$((i + 1))
done

# ---------------- Quadrant 1 ----------------
pair "c.nop" "addi x0, x0, 0"
for imm in 1 -1 31 -32; do                              # C.NOP HINTs
    pair "c.addi x0, $imm" "addi x0, x0, $imm"
done
i=0
for imm in -32 -31 -16 -1 0 1 2 15 31; do               # imm 0 with rd != 0 is a HINT
    for k in 0 7; do
        rd=${nzreg[$(( (i + k) % ${#nzreg[@]} ))]}
        pair "c.addi $rd, $imm" "addi $rd, $rd, $imm"
    done
    pair "c.addi x2, $imm" "addi x2, x2, $imm"
    i=$((i + 1))
done
i=0
for imm in -32 -17 -1 0 1 7 31; do
    for k in 0 5; do
        rd=${nzreg[$(( (i + k) % ${#nzreg[@]} ))]}
        pair "c.addiw $rd, $imm" "addiw $rd, $rd, $imm"
    done
    i=$((i + 1))
done
pair "c.addiw x2, -5" "addiw x2, x2, -5"
i=0
for imm in -32 -1 0 1 16 31; do
    for rd in x0 x2 ${nzreg[$(( i % ${#nzreg[@]} ))]} ${nzreg[$(( (i + 6) % ${#nzreg[@]} ))]}; do
        pair "c.li $rd, $imm" "addi $rd, x0, $imm"
    done
    i=$((i + 1))
done
for imm in -512 -496 -256 -16 16 32 48 64 128 256 272 496; do
    pair "c.addi16sp x2, $imm" "addi x2, x2, $imm"
done
# C.LUI's immediate is nzimm[17:12]; gas takes it as the 20-bit lui field.
i=0
for imm in 1 2 16 31 0xfffe0 0xfffe1 0xffff0 0xfffff; do
    for rd in x0 ${nzreg[$(( i % ${#nzreg[@]} ))]} ${nzreg[$(( (i + 5) % ${#nzreg[@]} ))]}; do
        pair "c.lui $rd, $imm" "lui $rd, $imm"
    done
    i=$((i + 1))
done
for sh in $(seq 1 63); do
    pair "c.srli ${creg[$(( sh % 8 ))]}, $sh" "srli ${creg[$(( sh % 8 ))]}, ${creg[$(( sh % 8 ))]}, $sh"
    pair "c.srai ${creg[$(( (sh + 3) % 8 ))]}, $sh" "srai ${creg[$(( (sh + 3) % 8 ))]}, ${creg[$(( (sh + 3) % 8 ))]}, $sh"
done
for r in x8 x12 x15; do                                 # shamt 0 is a HINT on RV64
    pair "c.srli64 $r" "srli $r, $r, 0"
    pair "c.srai64 $r" "srai $r, $r, 0"
done
i=0
for imm in -32 -16 -1 0 1 15 31; do
    r=${creg[$(( i % 8 ))]}
    pair "c.andi $r, $imm" "andi $r, $r, $imm"
    i=$((i + 1))
done
for i in 0 1 2 3 4 5 6 7; do
    a=${creg[$i]}; b=${creg[$(( (i * 3 + 2) % 8 ))]}
    pair "c.sub $a, $b"  "sub $a, $a, $b"
    pair "c.xor $a, $b"  "xor $a, $a, $b"
    pair "c.or $a, $b"   "or $a, $a, $b"
    pair "c.and $a, $b"  "and $a, $a, $b"
    pair "c.subw $a, $b" "subw $a, $a, $b"
    pair "c.addw $a, $b" "addw $a, $a, $b"
done
# Branch/jump targets as `.+offset`: resolved by the assembler (with -mno-relax) to the literal offset.
for off in -2048 -2046 -1024 -512 -256 -64 -32 -16 -2 0 2 4 16 32 64 256 512 1024 1026 2046 1366 -1366; do
    pair "c.j .+($off)" "jal x0, .+($off)"
done
i=0
for off in -256 -254 -128 -64 -32 -2 0 2 6 8 32 64 128 170 254; do
    r=${creg[$(( i % 8 ))]}; s=${creg[$(( (i + 3) % 8 ))]}
    pair "c.beqz $r, .+($off)" "beq $r, x0, .+($off)"
    pair "c.bnez $s, .+($off)" "bne $s, x0, .+($off)"
    i=$((i + 1))
done

# ---------------- Quadrant 2 ----------------
for sh in $(seq 1 63); do
    rd=${nzreg[$(( sh % ${#nzreg[@]} ))]}
    pair "c.slli $rd, $sh" "slli $rd, $rd, $sh"
done
pair "c.slli x0, 1" "slli x0, x0, 1"                  # rd=0 HINTs
pair "c.slli x0, 63" "slli x0, x0, 63"
pair "c.slli x2, 4" "slli x2, x2, 4"
for r in x1 x10 x31; do
    pair "c.slli64 $r" "slli $r, $r, 0"
done
i=0
for off in 0 8 16 24 32 64 128 256 264 496 504; do
    for k in 0 13; do
        fr=f$(( (i * 3 + k) % 32 ))
        pair "c.fldsp $fr, $off(x2)" "fld $fr, $off(x2)"
        pair "c.fsdsp $fr, $off(x2)" "fsd $fr, $off(x2)"
    done
    rd=${nzreg[$(( i % ${#nzreg[@]} ))]}
    pair "c.ldsp $rd, $off(x2)" "ld $rd, $off(x2)"
    pair "c.sdsp $rd, $off(x2)" "sd $rd, $off(x2)"
    i=$((i + 1))
done
pair "c.fldsp f0, 8(x2)" "fld f0, 8(x2)"
pair "c.fldsp f31, 504(x2)" "fld f31, 504(x2)"
pair "c.ldsp x2, 16(x2)" "ld x2, 16(x2)"
pair "c.sdsp x0, 504(x2)" "sd x0, 504(x2)"
pair "c.sdsp x2, 0(x2)" "sd x2, 0(x2)"
i=0
for off in 0 4 8 12 32 64 128 132 192 252; do
    rd=${nzreg[$(( (i + 3) % ${#nzreg[@]} ))]}
    pair "c.lwsp $rd, $off(x2)" "lw $rd, $off(x2)"
    pair "c.swsp $rd, $off(x2)" "sw $rd, $off(x2)"
    i=$((i + 1))
done
pair "c.lwsp x31, 252(x2)" "lw x31, 252(x2)"
pair "c.swsp x0, 252(x2)" "sw x0, 252(x2)"
for r in x1 x2 x5 x10 x15 x16 x31; do
    pair "c.jr $r"   "jalr x0, 0($r)"
    pair "c.jalr $r" "jalr x1, 0($r)"
done
pair "c.ebreak" "ebreak"
i=0
for rd in x0 x1 x2 x3 x8 x10 x15 x16 x31; do           # rd=0 forms are HINTs
    rs=${nzreg[$(( (i * 5 + 2) % ${#nzreg[@]} ))]}
    pair "c.mv $rd, $rs"  "add $rd, x0, $rs"
    pair "c.add $rd, $rs" "add $rd, $rd, $rs"
    i=$((i + 1))
done
pair "c.mv x31, x2" "add x31, x0, x2"
pair "c.add x2, x2" "add x2, x2, x2"
pair "c.add x31, x31" "add x31, x31, x31"

# ---------------- Assemble both halves ----------------
n=${#cforms[@]}
{ echo ".option norvc"; printf '%s\n' "${gforms[@]}"; } > "$tmp/g.s"
printf '%s\n' "${cforms[@]}" > "$tmp/c.s"
"$AS" -march=rv64gc -mno-relax "$tmp/c.s" -o "$tmp/c.o"
"$AS" -march=rv64g  -mno-relax "$tmp/g.s" -o "$tmp/g.o"
"$OBJCOPY" -O binary -j .text "$tmp/c.o" "$tmp/c.bin"
"$OBJCOPY" -O binary -j .text "$tmp/g.o" "$tmp/g.bin"

csize=$(stat -c %s "$tmp/c.bin"); gsize=$(stat -c %s "$tmp/g.bin")
if [ "$csize" -ne $((2 * n)) ] || [ "$gsize" -ne $((4 * n)) ]; then
    echo "size mismatch: $n pairs, c=$csize bytes, g=$gsize bytes" >&2
    exit 1
fi
mapfile -t chex < <(od -An -v -tx2 -w2 --endian=little "$tmp/c.bin" | tr -d ' ')
mapfile -t ghex < <(od -An -v -tx4 -w4 --endian=little "$tmp/g.bin" | tr -d ' ')

{
    echo "# RV64C -> RV64G expansion vectors, generated by make-vectors.sh with $("$AS" --version | head -1)."
    echo "# Format: <16-bit compressed hex> <32-bit expansion hex>  <compressed asm> => <expanded asm>"
    echo "# Branch/jump targets are relative to the instruction (.+offset)."
    for ((j = 0; j < n; j++)); do
        c=${chex[$j]}; g=${ghex[$j]}
        if [ $(( 0x$c & 3 )) -eq 3 ] || [ $(( 0x$g & 3 )) -ne 3 ]; then
            echo "bad encoding widths for: ${cforms[$j]} ($c) / ${gforms[$j]} ($g)" >&2
            exit 1
        fi
        echo "$c $g  ${cforms[$j]} => ${gforms[$j]}"
    done
} > "$out"
echo "wrote $n vectors to $out"
