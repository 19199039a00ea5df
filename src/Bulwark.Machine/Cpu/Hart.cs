using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Translation;

namespace Bulwark.Machine.Cpu;

/// <summary>One simulated CPU: the registers of the thread it runs, its TLBs and its LR reservation.
/// Every guest access goes through <see cref="Translator"/>; the TLBs only cache its answers.</summary>
public sealed partial class Hart
{
    private const int TlbBits = 8;
    private const int TlbSize = 1 << TlbBits;
    private const int TlbMask = TlbSize - 1;
    private const ulong NoTag = ulong.MaxValue;
    private const int PageMask = PhysicalMemory.PageSize - 1;

    private readonly ulong[] _readTag = new ulong[TlbSize];
    private readonly byte[][] _readPage = new byte[TlbSize][];
    private readonly uint[] _readPfn = new uint[TlbSize];
    private readonly ulong[] _writeTag = new ulong[TlbSize];
    private readonly byte[][] _writePage = new byte[TlbSize][];
    private readonly uint[] _writePfn = new uint[TlbSize];
    private readonly ulong[] _execTag = new ulong[TlbSize];
    private readonly DecodedPage[] _execPage = new DecodedPage[TlbSize];
    private IAddressTranslator? _translator;

    internal Hart(Machine machine, int id)
    {
        Machine = machine;
        Id = id;
        FlushTlb();
    }

    public Machine Machine { get; }
    public int Id { get; }

    /// <summary>The registers of the thread this hart runs; swapped by the kernel on a context switch.</summary>
    public HartState State { get; set; } = new();

    public IAddressTranslator? Translator
    {
        get => _translator;
        set
        {
            if (!ReferenceEquals(_translator, value)) FlushTlb();
            _translator = value;
        }
    }

    public ulong InstructionsRetired { get; internal set; }

    /// <summary>Instructions retired in the current engine run but not yet added to
    /// <see cref="InstructionsRetired"/>; lets rdcycle/rdinstret be exact mid-run.</summary>
    internal long InFlight;
    public TrapCause TrapCause { get; internal set; }
    public ulong TrapValue { get; internal set; }

    internal bool HasReservation;
    internal ulong ReservationAddress;
    internal int ReservationSize;

    public void FlushTlb()
    {
        Array.Fill(_readTag, NoTag);
        Array.Fill(_writeTag, NoTag);
        Array.Fill(_execTag, NoTag);
    }

    /// <summary>Drops the write translation of <paramref name="va"/> if it points at <paramref name="pfn"/>.</summary>
    internal void FlushWrite(ulong va, uint pfn)
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (_writeTag[i] == vpn && _writePfn[i] == pfn) _writeTag[i] = NoTag;
    }

    /// <summary>Drops every write translation to <paramref name="pfn"/> (a vectorised search of the TLB).</summary>
    internal void FlushWrites(uint pfn)
    {
        var pfns = _writePfn.AsSpan();
        int i;
        while ((i = pfns.IndexOf(pfn)) >= 0)
        {
            _writeTag[i] = NoTag;
            pfns[i] = 0;
        }
    }

    internal void FlushFrame(uint pfn)
    {
        for (int i = 0; i < TlbSize; i++)
        {
            if (_writeTag[i] != NoTag && _writePfn[i] == pfn) _writeTag[i] = NoTag;
            if (_execTag[i] != NoTag && _execPage[i].Pfn == pfn) _execTag[i] = NoTag;
        }
    }

    /// <summary>Drops the LR reservation, as the kernel does on every trap.</summary>
    public void ClearReservation() => Machine.Reservations.Clear(this);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref byte At(byte[] page, ulong va) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(page), (nint)(va & PageMask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Load<T>(ulong va) where T : unmanaged
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (_readTag[i] == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - Unsafe.SizeOf<T>())
            return Unsafe.ReadUnaligned<T>(ref At(_readPage[i], va));
        return LoadSlow<T>(va);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<T>(ulong va, T value) where T : unmanaged
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (_writeTag[i] == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - Unsafe.SizeOf<T>())
        {
            Unsafe.WriteUnaligned(ref At(_writePage[i], va), value);
            return;
        }
        StoreSlow(va, value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T LoadSlow<T>(ulong va) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if ((int)(va & PageMask) + size <= PhysicalMemory.PageSize)
        {
            uint pfn = TranslateOrTrap(va, AccessType.Read);
            return Unsafe.ReadUnaligned<T>(ref At(Machine.Memory.Frame(pfn), va));
        }
        Span<byte> bytes = stackalloc byte[8];
        for (int k = 0; k < size; k++) bytes[k] = Load<byte>(va + (ulong)k);
        return MemoryMarshal.Read<T>(bytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void StoreSlow<T>(ulong va, T value) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if ((int)(va & PageMask) + size <= PhysicalMemory.PageSize)
        {
            uint pfn = TranslateOrTrap(va, AccessType.Write);
            Machine.Memory.BeforeWrite(pfn, (int)(va & PageMask), size);
            Unsafe.WriteUnaligned(ref At(Machine.Memory.Frame(pfn), va), value);
            return;
        }
        Span<byte> bytes = stackalloc byte[8];
        MemoryMarshal.Write(bytes, in value);
        // Translate both pages before writing either, so a fault leaves memory untouched.
        TranslateOrTrap(va, AccessType.Write);
        TranslateOrTrap((va + (ulong)size - 1) & ~(ulong)PageMask, AccessType.Write);
        for (int k = 0; k < size; k++) StoreSlow(va + (ulong)k, bytes[k]);
    }

    /// <summary>A naturally aligned location for an atomic read-modify-write (needs write permission).</summary>
    internal ref T AtomicRef<T>(ulong va) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if ((va & (ulong)(size - 1)) != 0) throw new GuestTrapException(TrapCause.StoreMisaligned, va);
        uint pfn = FrameFor(va, AccessType.Write);
        Machine.Memory.BeforeWrite(pfn, (int)(va & PageMask), size);
        return ref Unsafe.As<byte, T>(ref At(Machine.Memory.Frame(pfn), va));
    }

    /// <summary>The frame of <paramref name="va"/> for a read or write: from the TLB when it has it, else
    /// through <see cref="TranslateOrTrap"/>.</summary>
    internal uint FrameFor(ulong va, AccessType access)
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (access == AccessType.Write ? _writeTag[i] == vpn : _readTag[i] == vpn)
            return access == AccessType.Write ? _writePfn[i] : _readPfn[i];
        return TranslateOrTrap(va, access);
    }

    /// <summary>Translates through the MMU (filling the TLB), asking the fault handler to resolve a
    /// refused access once before raising a page fault.</summary>
    internal uint TranslateOrTrap(ulong va, AccessType access)
    {
        var translator = _translator ?? throw new InvalidOperationException($"hart {Id} has no address space");
        uint pfn = translator.Translate(va, access, out bool cacheable);
        if (pfn == 0 && Machine.FaultHandler is { } handler && handler.TryResolve(this, va, access))
            pfn = translator.Translate(va, access, out cacheable);
        if (pfn == 0)
        {
            var cause = access switch
            {
                AccessType.Write => TrapCause.StorePageFault,
                AccessType.Execute => TrapCause.InstructionPageFault,
                _ => TrapCause.LoadPageFault,
            };
            throw new GuestTrapException(cause, va);
        }
        if (cacheable) Fill(va >> 12, pfn, access);
        return pfn;
    }

    private void Fill(ulong vpn, uint pfn, AccessType access)
    {
        int i = (int)(vpn & TlbMask);
        var memory = Machine.Memory;
        switch (access)
        {
            case AccessType.Read:
                _readTag[i] = vpn;
                _readPage[i] = memory.Frame(pfn);
                _readPfn[i] = pfn;
                break;
            case AccessType.Write:
                if (memory.IsWatched(pfn)) return;
                _writeTag[i] = vpn;
                _writePage[i] = memory.Frame(pfn);
                _writePfn[i] = pfn;
                // A writable page is readable too on this platform; saves a second walk.
                _readTag[i] = vpn;
                _readPage[i] = memory.Frame(pfn);
                _readPfn[i] = pfn;
                break;
        }
    }

    /// <summary>The decoded page holding <paramref name="pc"/>, translating and decoding on demand.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal DecodedPage CodePage(ulong pc)
    {
        ulong vpn = pc >> 12;
        int i = (int)(vpn & TlbMask);
        if (_execTag[i] == vpn) return _execPage[i];
        return CodePageSlow(pc);
    }

    private DecodedPage CodePageSlow(ulong pc)
    {
        if ((pc & 1) != 0) throw new GuestTrapException(TrapCause.InstructionMisaligned, pc);
        uint pfn = TranslateOrTrap(pc, AccessType.Execute);
        var page = Machine.DecodedPageFor(pfn);
        ulong vpn = pc >> 12;
        int i = (int)(vpn & TlbMask);
        _execTag[i] = vpn;
        _execPage[i] = page;
        return page;
    }

    /// <summary>Decodes the instruction at <paramref name="pc"/>. One that straddles two pages is
    /// decoded but not cached, since a write to the second page would not invalidate it.</summary>
    internal DecodedInsn DecodeAt(DecodedPage page, ulong pc, out bool cacheable)
    {
        var frame = Machine.Memory.Frame(page.Pfn);
        int offset = (int)(pc & PageMask);
        uint low = BitConverter.ToUInt16(frame, offset);
        cacheable = true;
        if ((low & 3) != 3) return Decoder.Decode(low);
        uint bits;
        if (offset <= PhysicalMemory.PageSize - 4) bits = BitConverter.ToUInt32(frame, offset);
        else
        {
            uint nextPfn = TranslateOrTrap(pc + 2, AccessType.Execute);
            bits = low | ((uint)BitConverter.ToUInt16(Machine.Memory.Frame(nextPfn), 0) << 16);
            cacheable = false;
        }
        return Decoder.Decode(bits);
    }
}
