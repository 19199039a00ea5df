using Bulwark.Machine.Scheduling;

namespace Bulwark.Kernel;

/// <summary>All randomness the guest can observe (getrandom, /dev/urandom, AT_RANDOM), from the seed.</summary>
public sealed class Entropy(ulong seed)
{
    private readonly SplitMix64 _random = new(seed ^ 0x5eed_0f_b01_ca7UL);

    public void Fill(Span<byte> bytes)
    {
        for (int i = 0; i < bytes.Length; i += 8)
        {
            ulong v = _random.Next();
            for (int k = 0; k < 8 && i + k < bytes.Length; k++) bytes[i + k] = (byte)(v >> (8 * k));
        }
    }
}
