namespace Bulwark.Kernel.Fs;

/// <summary>poll/epoll event bits (asm-generic; the EPOLL* values are the POLL* ones).</summary>
public static class PollEvents
{
    public const int In = 0x001, Pri = 0x002, Out = 0x004, Err = 0x008, Hup = 0x010, Nval = 0x020,
        RdNorm = 0x040, RdBand = 0x080, WrNorm = 0x100, WrBand = 0x200, RdHup = 0x2000;

    public const int Readable = In | RdNorm, Writable = Out | WrNorm;

    /// <summary>What a file that never makes anyone wait reports (Linux's DEFAULT_POLLMASK).</summary>
    public const int Default = Readable | Writable;

    /// <summary>Reported whether asked for or not.</summary>
    public const int Always = Err | Hup;
}
