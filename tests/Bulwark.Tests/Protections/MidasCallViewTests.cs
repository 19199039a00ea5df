using System.Text;
using Bulwark.Kernel;
using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Protections.Midas;
using Bulwark.Machine.Cpu;
using Bulwark.Tests.Guests;

namespace Bulwark.Tests.Protections;

/// <summary>Midas's promises about one system call's view of user memory, driven directly: what the
/// call read stays what it reads while other writers get new versions, and what the call itself writes
/// (copy_to_user) is what it reads back afterwards, even on a page that was versioned meanwhile.</summary>
public sealed class MidasCallViewTests
{
    private const ulong Page = 0x40_0000;

    private static (MidasProtection Midas, GuestThread Thread, AddressSpace Space, KernelCore Kernel) Setup()
    {
        var kernel = new KernelCore(new KernelOptions { Protection = UserMemoryProtection.Midas, Harts = 1 });
        var space = new AddressSpace(kernel.Machine, kernel.FrameMappings);
        space.MapFixed(Page, Page + 0x1000, Protection.Read | Protection.Write, false, "test");
        Assert.True(space.WriteBytes(Page, Encoding.ASCII.GetBytes("OLD!")));
        var thread = new GuestThread(1, new Process(1, null, space, new FileTable()), new HartState());
        return ((MidasProtection)kernel.UserAccess, thread, space, kernel);
    }

    private static string Read(MidasProtection midas, GuestThread thread)
    {
        var bytes = new byte[4];
        Assert.True(midas.Read(thread, Page, bytes, "test"));
        return Encoding.ASCII.GetString(bytes);
    }

    /// <summary>Another writer (a thread or a process sharing the frame) stores while the call runs.</summary>
    private static void WriteFromElsewhere(KernelCore kernel, AddressSpace space, string text)
    {
        Assert.True(kernel.FrameMappings.ResolveProtectedWrite!(space, Page));
        Assert.True(space.WriteBytes(Page, Encoding.ASCII.GetBytes(text)));
    }

    [Fact]
    public void TheCallKeepsReadingWhatItFirstReadWhileOthersWrite()
    {
        var (midas, thread, space, kernel) = Setup();
        midas.SyscallEntered(thread, 64);
        Assert.Equal("OLD!", Read(midas, thread));
        WriteFromElsewhere(kernel, space, "NEW!");
        Assert.Equal("OLD!", Read(midas, thread));
        midas.SyscallEnded(thread);
        Assert.Equal("NEW!", Read(midas, thread));
    }

    [Fact]
    public void TheCallReadsBackWhatItWroteEvenAfterTheFrameWasVersioned()
    {
        var (midas, thread, space, kernel) = Setup();
        midas.SyscallEntered(thread, 63);
        Assert.Equal("OLD!", Read(midas, thread));
        WriteFromElsewhere(kernel, space, "NEW!");
        Assert.True(midas.Write(thread, Page, Encoding.ASCII.GetBytes("MINE"), "test"));
        Assert.Equal("MINE", Read(midas, thread));
        midas.SyscallEnded(thread);
        // The user sees the call's write too: copy_to_user is not lost.
        Assert.Equal("MINE", Read(midas, thread));
    }
}
