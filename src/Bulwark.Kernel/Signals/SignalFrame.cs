using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Machine.Translation;

namespace Bulwark.Kernel.Signals;

/// <summary>The riscv64 Linux rt_sigframe: siginfo (128 bytes) followed by a ucontext whose
/// mcontext holds pc, x1..x31 and the D-extension state. The handler returns through the
/// sigreturn trampoline, and rt_sigreturn restores the saved context.</summary>
public static class SignalFrame
{
    public const int InfoSize = 128;
    public const int UcontextSigmask = 40;
    public const int UcontextMcontext = 176;
    public const int FpState = UcontextMcontext + 256;
    public const int FrameSize = InfoSize + 960;
    /// <summary>The page holding `li a7, 139; ecall`, mapped read/execute in every process.</summary>
    public const ulong TrampolineAddress = 0x3f_ffff_f000UL;

    public static void MapTrampoline(AddressSpace space)
    {
        space.MapFixed(TrampolineAddress, TrampolineAddress + AddressSpace.PageSize, Protection.Read | Protection.Exec, false, "[vdso]");
        uint pfn = space.FrameFor(TrampolineAddress, AccessType.Read);
        if (pfn == 0) throw new GuestOutOfMemoryException();
        var frame = space.Memory.Frame(pfn);
        space.Memory.BeforeWrite(pfn, 0, 8);
        BitConverter.TryWriteBytes(frame.AsSpan(0), 0x08B00893u);
        BitConverter.TryWriteBytes(frame.AsSpan(4), 0x00000073u);
    }

    /// <summary>Builds the frame on the user stack and redirects the thread to the handler. False if the
    /// stack cannot take the frame (the caller then kills the process).</summary>
    public static bool Push(KernelCore kernel, GuestThread thread, int signal, int code, SignalAction action, ulong faultAddress)
    {
        var regs = thread.Registers;
        ulong sp = (AlternateStack.StackTopFor(thread, action) - (ulong)FrameSize) & ~15UL;
        var frame = new byte[FrameSize];
        var span = frame.AsSpan();
        BitConverter.TryWriteBytes(span, signal);
        BitConverter.TryWriteBytes(span[8..], code);
        if (faultAddress != 0) BitConverter.TryWriteBytes(span[16..], faultAddress);
        else if (code is KernelCore.SiUser or KernelCore.SiTkill)
        {
            BitConverter.TryWriteBytes(span[16..], thread.Process.Pid);
            BitConverter.TryWriteBytes(span[20..], thread.Process.Uid);
        }
        var uc = span[InfoSize..];
        BitConverter.TryWriteBytes(uc[UcontextSigmask..], thread.SavedSignalMask ?? thread.SignalMask);
        BitConverter.TryWriteBytes(uc[UcontextMcontext..], regs.Pc);
        for (int r = 1; r < 32; r++) BitConverter.TryWriteBytes(uc[(UcontextMcontext + 8 * r)..], regs.X[r]);
        for (int f = 0; f < 32; f++) BitConverter.TryWriteBytes(uc[(FpState + 8 * f)..], regs.F[f]);
        BitConverter.TryWriteBytes(uc[(FpState + 256)..], regs.Fcsr);
        Protections.Passwords.PasswordSignalContext.Save(kernel.Shared, uc[(FpState + Protections.Passwords.PasswordSignalContext.Offset)..], regs);
        if (!thread.Process.AddressSpace.WriteBytes(sp, frame)) return false;

        thread.SavedSignalMask = null;
        thread.SignalMask |= action.Mask;
        if ((action.Flags & SignalAction.SaNodefer) == 0) thread.SignalMask |= Signal.Bit(signal);
        if ((action.Flags & SignalAction.SaResethand) != 0) thread.Process.SignalActions[signal] = default;
        regs.X[2] = sp;
        regs.X[10] = (ulong)signal;
        regs.X[11] = sp;
        regs.X[12] = sp + InfoSize;
        regs.X[1] = TrampolineAddress;
        regs.Pc = action.Handler;
        return true;
    }

    /// <summary>Restores the context saved by <see cref="Push"/> from the frame at sp.</summary>
    public static async ValueTask<bool> Return(Syscalls.SyscallContext c)
    {
        var regs = c.Thread.Registers;
        var frame = new byte[FrameSize];
        if (!await c.User.CopyFromUser(regs.X[2], frame, 0, FrameSize)) return false;
        var uc = frame.AsSpan(InfoSize);
        c.Thread.SignalMask = BitConverter.ToUInt64(uc[UcontextSigmask..]) & ~(Signal.Bit(Signal.SIGKILL) | Signal.Bit(Signal.SIGSTOP));
        regs.Pc = BitConverter.ToUInt64(uc[UcontextMcontext..]);
        for (int r = 1; r < 32; r++) regs.X[r] = BitConverter.ToUInt64(uc[(UcontextMcontext + 8 * r)..]);
        for (int f = 0; f < 32; f++) regs.F[f] = BitConverter.ToUInt64(uc[(FpState + 8 * f)..]);
        regs.Fcsr = BitConverter.ToUInt32(uc[(FpState + 256)..]) & 0xff;
        Protections.Passwords.PasswordSignalContext.Restore(c.Kernel.Shared, c.Process, uc[(FpState + Protections.Passwords.PasswordSignalContext.Offset)..], regs);
        return true;
    }
}
