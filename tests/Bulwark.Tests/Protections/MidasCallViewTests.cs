using System.Text;
using Bulwark.Kernel;
using Bulwark.Kernel.Fs;
using Bulwark.Kernel.Memory;
using Bulwark.Kernel.Processes;
using Bulwark.Kernel.Protections.Midas;
using Bulwark.Machine.Cpu;
using Bulwark.Machine.Translation;
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
    // What each step costs and holds: the counters --stats prints, the frames in use, and whether the
    // user's mapping of the page is write-protected (found by mutation testing, mutation/README.md).

    private static bool Writable(AddressSpace space) => (space.PageTable.GetLeaf(Page) & (ulong)PteFlags.W) != 0;

    /// <summary>What a thread outside any call (another thread of the process) reads: live memory.</summary>
    private static string ReadLive(MidasProtection midas, GuestThread thread)
    {
        var observer = new GuestThread(99, thread.Process, new HartState());
        return Read(midas, observer);
    }

    [Fact]
    public void TheFirstReadProtectsThePageOnceAndTheCallsEndUnprotectsIt()
    {
        var (midas, thread, space, kernel) = Setup();
        long frames = kernel.Machine.Memory.FramesInUse;
        midas.SyscallEntered(thread, 63);
        Assert.True(Writable(space));
        Read(midas, thread);
        Read(midas, thread);
        Assert.False(Writable(space));
        Assert.Equal(1, midas.Stats.PagesProtected);
        midas.SyscallEnded(thread);
        Assert.True(Writable(space));
        Assert.Equal(frames, kernel.Machine.Memory.FramesInUse);
        // With nothing held a user store is no protected write.
        Assert.False(kernel.FrameMappings.ResolveProtectedWrite!(space, Page));
        Assert.Equal(0, midas.Stats.WriteFaults);
        // The next call protects the page anew.
        midas.SyscallEntered(thread, 63);
        Read(midas, thread);
        Assert.False(Writable(space));
        Assert.Equal(2, midas.Stats.PagesProtected);
        midas.SyscallEnded(thread);
        Assert.True(Writable(space));
    }

    [Fact]
    public void AnExemptCallReadsLiveMemoryAndProtectsNothing()
    {
        var (midas, thread, space, kernel) = Setup();
        midas.SyscallEntered(thread, 98);
        Assert.Equal("OLD!", Read(midas, thread));
        Assert.True(Writable(space));
        Assert.True(space.WriteBytes(Page, Encoding.ASCII.GetBytes("NEW!")));
        Assert.Equal("NEW!", Read(midas, thread));
        midas.SyscallEnded(thread);
        Assert.Equal(0, midas.Stats.PagesProtected);
        // A protected call after an exempt one on the same thread is protected again.
        midas.SyscallEntered(thread, 63);
        Read(midas, thread);
        Assert.False(Writable(space));
        midas.SyscallEnded(thread);
    }

    [Fact]
    public void AReadOfAnUnmappedPageFailsAndHoldsNothing()
    {
        var (midas, thread, space, kernel) = Setup();
        long frames = kernel.Machine.Memory.FramesInUse;
        midas.SyscallEntered(thread, 63);
        Assert.False(midas.Read(thread, Page + 0x1000, new byte[4], "test"));
        // A read running off the end of the mapped page fails too.
        Assert.False(midas.Read(thread, Page + 0xffe, new byte[4], "test"));
        midas.SyscallEnded(thread);
        Assert.Equal(frames, kernel.Machine.Memory.FramesInUse);
        Assert.True(Writable(space));
        Assert.Equal(1, midas.Stats.PagesProtected);
    }

    [Fact]
    public void AWriteFromElsewhereMakesOneVersionWhoseOldFrameGoesAtTheCallsEnd()
    {
        var (midas, thread, space, kernel) = Setup();
        long frames = kernel.Machine.Memory.FramesInUse;
        midas.SyscallEntered(thread, 63);
        Read(midas, thread);
        WriteFromElsewhere(kernel, space, "NEW!");
        Assert.Equal(1, midas.Stats.WriteFaults);
        Assert.Equal(1, midas.Stats.VersionsCreated);
        Assert.Equal(4096, midas.Stats.BytesCopied);
        Assert.Equal(4096, midas.Stats.PeakExtraBytes);
        Assert.Equal(frames + 1, kernel.Machine.Memory.FramesInUse);
        // The new version is the writers' own: further stores are not protected writes.
        Assert.True(Writable(space));
        Assert.False(kernel.FrameMappings.ResolveProtectedWrite!(space, Page));
        Assert.Equal(1, midas.Stats.WriteFaults);
        midas.SyscallEnded(thread);
        Assert.Equal(frames, kernel.Machine.Memory.FramesInUse);
        Assert.Equal("NEW!", ReadLive(midas, thread));
    }

    [Fact]
    public void AKernelWriteToAPageOnlyThisCallHoldsGoesInPlace()
    {
        var (midas, thread, space, kernel) = Setup();
        long frames = kernel.Machine.Memory.FramesInUse;
        midas.SyscallEntered(thread, 63);
        Assert.Equal("OLD!", Read(midas, thread));
        Assert.True(midas.Write(thread, Page, Encoding.ASCII.GetBytes("MINE"), "test"));
        Assert.Equal(1, midas.Stats.WriteFaults);
        Assert.Equal(0, midas.Stats.VersionsCreated);
        Assert.Equal(0, midas.Stats.BytesCopied);
        Assert.Equal(frames, kernel.Machine.Memory.FramesInUse);
        // The user sees it at once, and so does the call.
        Assert.Equal("MINE", ReadLive(midas, thread));
        Assert.Equal("MINE", Read(midas, thread));
        midas.SyscallEnded(thread);
        Assert.Equal(frames, kernel.Machine.Memory.FramesInUse);
        Assert.True(Writable(space));
    }

    [Fact]
    public void AKernelWriteOfOneCallLeavesAnotherCallsViewAlone()
    {
        var (midas, a, space, kernel) = Setup();
        var b = new GuestThread(2, a.Process, new HartState());
        long frames = kernel.Machine.Memory.FramesInUse;
        midas.SyscallEntered(a, 63);
        midas.SyscallEntered(b, 63);
        Assert.Equal("OLD!", Read(midas, a));
        Assert.Equal("OLD!", Read(midas, b));
        Assert.Equal(1, midas.Stats.PagesProtected);
        Assert.True(midas.Write(a, Page, Encoding.ASCII.GetBytes("MINE"), "test"));
        Assert.Equal(1, midas.Stats.WriteFaults);
        Assert.Equal(1, midas.Stats.VersionsCreated);
        Assert.Equal("MINE", Read(midas, a));
        Assert.Equal("OLD!", Read(midas, b));
        Assert.Equal("MINE", ReadLive(midas, a));
        // One copy for the new version, one for a's private view; b still holds the old frame.
        Assert.Equal(2 * 4096, midas.Stats.BytesCopied);
        Assert.Equal(2 * 4096, midas.Stats.PeakExtraBytes);
        Assert.Equal(frames + 1, kernel.Machine.Memory.FramesInUse);
        // a writes again: its own copy and the live page, no further version.
        Assert.True(midas.Write(a, Page + 1, Encoding.ASCII.GetBytes("O"), "test"));
        Assert.Equal("MONE", Read(midas, a));
        Assert.Equal("MONE", ReadLive(midas, a));
        Assert.Equal(1, midas.Stats.VersionsCreated);
        midas.SyscallEnded(a);
        Assert.Equal("OLD!", Read(midas, b));
        Assert.Equal(frames + 1, kernel.Machine.Memory.FramesInUse);
        midas.SyscallEnded(b);
        Assert.Equal(frames, kernel.Machine.Memory.FramesInUse);
        Assert.True(Writable(space));
        Assert.Equal("MONE", ReadLive(midas, a));
    }
}
