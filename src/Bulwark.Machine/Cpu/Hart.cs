using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Bulwark.Machine.Cpu.Passwords;
using Bulwark.Machine.Cpu.Privileged;
using Bulwark.Machine.Memory;
using Bulwark.Machine.Translation;

namespace Bulwark.Machine.Cpu;

/// <summary>One simulated CPU: the registers of the thread it runs, its privilege mode and machine CSRs,
/// its TLBs and its LR reservation. Every guest access goes through <see cref="Translator"/>; the TLBs
/// only cache its answers, and only for RAM: an access to a device goes to the bus every time.</summary>
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
    // Device pages the translator allowed for the whole page: the access still goes to the bus each
    // time, but skips translation (a kernel polling a timer register would otherwise pay for it).
    private readonly ulong[] _deviceReadTag = new ulong[TlbSize];
    private readonly uint[] _deviceReadPfn = new uint[TlbSize];
    private readonly ulong[] _deviceWriteTag = new ulong[TlbSize];
    private readonly uint[] _deviceWritePfn = new uint[TlbSize];
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

    /// <summary>The privilege mode the hart runs in (U on the Linux platform, which never changes it).</summary>
    public PrivilegeMode Privilege { get; internal set; } = PrivilegeMode.User;

    public MachineCsrs Csr { get; } = new();

    /// <summary>The hart's physical memory protection unit, on platforms that have one (its CSRs are
    /// illegal without it).</summary>
    public Pmp? Pmp { get; set; }

    /// <summary>The interrupt-pending bits driven by devices (mip's MSIP, MTIP and MEIP).</summary>
    public ulong InterruptLines { get; private set; }

    /// <summary>Raises or lowers interrupt-pending bit <paramref name="bit"/> (a device's wire to this hart).</summary>
    public void SetInterruptLine(int bit, bool level)
    {
        if (level) InterruptLines |= 1UL << bit;
        else InterruptLines &= ~(1UL << bit);
    }

    /// <summary>Set when the engine must look up before running the next instruction: decoded code
    /// changed (<see cref="AttentionCodeChanged"/>, set on every hart), or the platform must run before
    /// this hart goes on (<see cref="AttentionReturn"/>: a device was written, interrupts may have changed).
    /// Checked once per instruction where a page's validity used to be, so it costs nothing extra.</summary>
    internal int Attention;
    internal const int AttentionCodeChanged = 1, AttentionReturn = 2;

    public ulong InstructionsRetired { get; internal set; }

    /// <summary>The canonical section of the running process (password-table mode): set by the kernel on
    /// a context switch, as <see cref="Translator"/> is; read by loadpwd and by a failed check.</summary>
    public IPasswordSection? PasswordSection { get; set; }
    /// <summary>Who runs on this hart (the kernel puts the user id here): far stores tag the words they
    /// write with it, so a planted pointer can be blamed on its writer.</summary>
    public uint UserTag { get; set; }
    /// <summary>After a password trap: the password register whose check failed.</summary>
    public int FarFaultRegister { get; internal set; }
    /// <summary>After a password trap: the far address accessed (for loadpv, where the pointer was read).</summary>
    public ulong FarFaultSource { get; internal set; }

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
        Array.Fill(_deviceReadTag, NoTag);
        Array.Fill(_deviceWriteTag, NoTag);
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

    /// <summary>The load's fast path: the read TLB holds the page and the access stays in it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryLoadCached<T>(ulong va, out T value) where T : unmanaged
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (_readTag[i] == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - Unsafe.SizeOf<T>())
        {
            value = Unsafe.ReadUnaligned<T>(ref At(_readPage[i], va));
            return true;
        }
        value = default;
        return false;
    }

    /// <summary>The store's fast path: the write TLB holds the page and the access stays in it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryStoreCached<T>(ulong va, T value) where T : unmanaged
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (_writeTag[i] == vpn && (int)(va & PageMask) <= PhysicalMemory.PageSize - Unsafe.SizeOf<T>())
        {
            Unsafe.WriteUnaligned(ref At(_writePage[i], va), value);
            return true;
        }
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Load<T>(ulong va) where T : unmanaged => TryLoadCached(va, out T value) ? value : LoadSlow<T>(va);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store<T>(ulong va, T value) where T : unmanaged
    {
        if (!TryStoreCached(va, value)) StoreSlow(va, value);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T LoadSlow<T>(ulong va) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if ((int)(va & PageMask) + size <= PhysicalMemory.PageSize)
        {
            int slot = (int)((va >> 12) & TlbMask);
            if (_deviceReadTag[slot] == va >> 12) return LoadDevice<T>(_deviceReadPfn[slot], va);
            uint pfn = TranslateOrTrap(va, size, AccessType.Read);
            if (!Machine.Memory.Contains(pfn)) return LoadDevice<T>(pfn, va);
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
            int slot = (int)((va >> 12) & TlbMask);
            if (_deviceWriteTag[slot] == va >> 12)
            {
                StoreDevice(_deviceWritePfn[slot], va, value);
                return;
            }
            uint pfn = TranslateOrTrap(va, size, AccessType.Write);
            if (!Machine.Memory.Contains(pfn))
            {
                StoreDevice(pfn, va, value);
                return;
            }
            Machine.Memory.BeforeWrite(pfn, (int)(va & PageMask), size);
            Unsafe.WriteUnaligned(ref At(Machine.Memory.Frame(pfn), va), value);
            return;
        }
        Span<byte> bytes = stackalloc byte[8];
        MemoryMarshal.Write(bytes, in value);
        // Translate both pages before writing either, so a fault leaves memory untouched.
        TranslateOrTrap(va, 1, AccessType.Write);
        TranslateOrTrap((va + (ulong)size - 1) & ~(ulong)PageMask, 1, AccessType.Write);
        for (int k = 0; k < size; k++) StoreSlow(va + (ulong)k, bytes[k]);
    }

    private T LoadDevice<T>(uint pfn, ulong va) where T : unmanaged
    {
        ulong pa = ((ulong)pfn << PhysicalMemory.PageShift) | (va & PageMask);
        if (!Machine.Bus.TryRead(pa, Unsafe.SizeOf<T>(), out ulong value)) throw new GuestTrapException(TrapCause.LoadAccessFault, va);
        return Unsafe.As<ulong, T>(ref value);
    }

    private void StoreDevice<T>(uint pfn, ulong va, T value) where T : unmanaged
    {
        ulong pa = ((ulong)pfn << PhysicalMemory.PageShift) | (va & PageMask);
        ulong bits = 0;
        Unsafe.As<ulong, T>(ref bits) = value;
        if (!Machine.Bus.TryWrite(pa, Unsafe.SizeOf<T>(), bits)) throw new GuestTrapException(TrapCause.StoreAccessFault, va);
        // A device write may raise or clear an interrupt: let the platform look before the next instruction.
        Attention |= AttentionReturn;
    }

    /// <summary>A naturally aligned location for an atomic read-modify-write (needs write permission).</summary>
    internal ref T AtomicRef<T>(ulong va) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        if ((va & (ulong)(size - 1)) != 0) throw new GuestTrapException(TrapCause.StoreMisaligned, va);
        uint pfn = FrameFor(va, size, AccessType.Write);
        Machine.Memory.BeforeWrite(pfn, (int)(va & PageMask), size);
        return ref Unsafe.As<byte, T>(ref At(Machine.Memory.Frame(pfn), va));
    }

    /// <summary>The RAM frame of an atomic access (AMO, LR, SC) of <paramref name="size"/> bytes: from
    /// the TLB when it has it, else translated; an atomic access to a device is an access fault.</summary>
    internal uint FrameFor(ulong va, int size, AccessType access)
    {
        ulong vpn = va >> 12;
        int i = (int)(vpn & TlbMask);
        if (access == AccessType.Write ? _writeTag[i] == vpn : _readTag[i] == vpn)
            return access == AccessType.Write ? _writePfn[i] : _readPfn[i];
        uint pfn = TranslateOrTrap(va, size, access);
        if (!Machine.Memory.Contains(pfn))
            throw new GuestTrapException(access == AccessType.Write ? TrapCause.StoreAccessFault : TrapCause.LoadAccessFault, va);
        return pfn;
    }

    /// <summary>Translates (filling the TLB when the answer holds for the whole page and the page is
    /// RAM), asking the fault handler to resolve a refused access once before raising the fault.</summary>
    internal uint TranslateOrTrap(ulong va, int size, AccessType access)
    {
        var translator = _translator ?? throw new InvalidOperationException($"hart {Id} has no address translator");
        uint pfn = translator.Translate(va, size, access, out var flags);
        if (pfn == 0 && (flags & TranslationFlags.AccessFault) == 0 && Machine.FaultHandler is { } handler && handler.TryResolve(this, va, access))
            pfn = translator.Translate(va, size, access, out flags);
        if (pfn == 0)
        {
            bool accessFault = (flags & TranslationFlags.AccessFault) != 0;
            var cause = access switch
            {
                AccessType.Write => accessFault ? TrapCause.StoreAccessFault : TrapCause.StorePageFault,
                AccessType.Execute => accessFault ? TrapCause.InstructionAccessFault : TrapCause.InstructionPageFault,
                _ => accessFault ? TrapCause.LoadAccessFault : TrapCause.LoadPageFault,
            };
            throw new GuestTrapException(cause, va);
        }
        if ((flags & TranslationFlags.Cacheable) != 0)
        {
            if (Machine.Memory.Contains(pfn)) Fill(va >> 12, pfn, access);
            else FillDevice(va >> 12, pfn, access);
        }
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

    private void FillDevice(ulong vpn, uint pfn, AccessType access)
    {
        int i = (int)(vpn & TlbMask);
        if (access == AccessType.Read)
        {
            _deviceReadTag[i] = vpn;
            _deviceReadPfn[i] = pfn;
        }
        else if (access == AccessType.Write)
        {
            _deviceWriteTag[i] = vpn;
            _deviceWritePfn[i] = pfn;
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
        uint pfn = TranslateOrTrap(pc, 2, AccessType.Execute);
        // Code runs from RAM only.
        if (!Machine.Memory.Contains(pfn)) throw new GuestTrapException(TrapCause.InstructionAccessFault, pc);
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
            uint nextPfn = TranslateOrTrap(pc + 2, 2, AccessType.Execute);
            if (!Machine.Memory.Contains(nextPfn)) throw new GuestTrapException(TrapCause.InstructionAccessFault, pc + 2);
            bits = low | ((uint)BitConverter.ToUInt16(Machine.Memory.Frame(nextPfn), 0) << 16);
            cacheable = false;
        }
        return Decoder.Decode(bits);
    }
}
