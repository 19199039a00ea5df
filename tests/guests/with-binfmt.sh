#!/usr/bin/env bash
# with-binfmt.sh COMMAND [ARGS...]: runs COMMAND where an execve of a riscv64 ELF file runs it under qemu-riscv64,
# as Linux on a RISC-V machine would run it directly. The registration lives in a binfmt_misc instance of a private
# user and mount namespace (Linux 6.7 and later give each user namespace its own), so nothing of the host changes.
# Guests that run other programs (NAME.exec) are recorded this way; inside, the guest's uid is 0.
set -euo pipefail
if [ "${BULWARK_IN_BINFMT_NS:-}" != 1 ]; then
    exec env BULWARK_IN_BINFMT_NS=1 unshare --user --map-root-user --mount "$0" "$@"
fi
mnt="$(mktemp -d)"
mount -t binfmt_misc none "$mnt"
# The magic and mask of Debian's qemu-user-binfmt for riscv64; P: the interpreter is told argv[0] (qemu's
# *-binfmt-P name asks for that), F: opened now.
printf '%s' ':qemu-riscv64:M::\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xf3\x00:\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/libexec/qemu-binfmt/riscv64-binfmt-P:PF' >"$mnt/register"
unset BULWARK_IN_BINFMT_NS
# The registration lives as long as the mount: keep it until the command is done.
status=0
"$@" || status=$?
umount "$mnt"
rmdir "$mnt"
exit "$status"
