#!/usr/bin/env bash
# Breaks each protection check once, runs the password tests, lists the ones that go red, and puts the
# file back (git checkout): every check must be guarded by at least one test that can fail.
# Run from a clean work tree; takes a few minutes.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
run_break() {
  local name="$1" file="$2" old="$3" new="$4"
  python3 - "$file" "$old" "$new" <<'PY'
import sys
p,old,new=sys.argv[1:]
s=open(p).read()
assert old in s, old
open(p,'w').write(s.replace(old,new,1))
PY
  echo "=== break: $name"
  timeout 1200 dotnet test tests/Bulwark.Tests -c Release --filter "FullyQualifiedName~Passwords" 2>&1 | grep -E "^\s+Failed |Failed!|Passed!" | sed 's/\[.*//' | sort -u | head -12
  git checkout -q -- "$file"
}
run_break "far-load read check always passes" src/Bulwark.Machine/Cpu/Passwords/PasswordUnit.cs "!(write ? segment.AllowsWrite(password) : segment.AllowsRead(password))" "!(write ? segment.AllowsWrite(password) : true)"
run_break "far-store write check accepts the read password" src/Bulwark.Machine/Cpu/Passwords/FarSegment.cs "public bool AllowsWrite(in Password128 p) => !p.IsZero && p == ReadWrite;" "public bool AllowsWrite(in Password128 p) => AllowsRead(p);"
run_break "loadpv does not verify" src/Bulwark.Machine/Cpu/Passwords/PasswordUnit.cs "if (pointer != 0 && !Matches(Memory.Find(pointer), in Effective(s, d.Rs3)))" "if (false)"
run_break "refresh ignores the grant" src/Bulwark.Kernel/Protections/Passwords/SharedSegments.Faults.cs "if (Find(id) is { Far: not null } segment && (segment.GrantOf(thread.Process.Pid) & kind.Allows()) == kind.Allows())" "if (Find(id) is { Far: not null } segment)"
run_break "signal frames drop the password registers" src/Bulwark.Kernel/Protections/Passwords/PasswordSignalContext.cs "        if (shared.Unit == null) return;
        BitConverter.TryWriteBytes(at, Magic);" "        return;"
run_break "page-id map not told of munmap" src/Bulwark.Kernel/Protections/Passwords/SharedSegments.cs "        if (!_processes.TryGetValue(process.Pid, out var share) || share.Map == null) return;
        foreach" "        if (true) return;
        if (!_processes.TryGetValue(process.Pid, out var share) || share.Map == null) return;
        foreach"
run_break "fallback library check skipped by the kernel (no report)" src/Bulwark.Kernel/Protections/Passwords/SharedSegments.Faults.cs "if (Mode != SharedProtectionMode.Fallback || what is not (0 or 1)) return -Errno.EINVAL;" "return 0;"
run_break "no throttling delay" src/Bulwark.Kernel/Protections/Passwords/BruteForceThrottle.cs "        if (!Enabled) return 0;" "        return 0;"
run_break "throttle per process (score forgotten by a new pid)" src/Bulwark.Kernel/Protections/Passwords/SharedSegments.cs "        var share = new ProcessShare(process);" "        Throttle.User(process.Uid).Score = 0;
        var share = new ProcessShare(process);"
run_break "blame always on the reader" src/Bulwark.Kernel/Protections/Passwords/SharedSegments.Faults.cs "        uint tag = segment.WriterTags[(source - segment.Base) >> 3];" "        return thread.Process.Uid;
        uint tag = segment.WriterTags[(source - segment.Base) >> 3];"
run_break "revocation does not rotate" src/Bulwark.Kernel/Protections/Passwords/SharedSegments.cs "                Rotate(segment, held);" "                // Rotate(segment, held);"
