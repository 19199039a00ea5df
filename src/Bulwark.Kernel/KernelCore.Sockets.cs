using Bulwark.Kernel.Fs.Sockets;

namespace Bulwark.Kernel;

/// <summary>The abstract AF_UNIX namespace: names that start with a zero byte have no file, only this table.</summary>
public sealed partial class KernelCore
{
    private int _autobindNames;

    /// <summary>Bound abstract sockets by <see cref="UnixAddress.Key"/>.</summary>
    public Dictionary<string, UnixSocket> AbstractSockets { get; } = new(StringComparer.Ordinal);

    /// <summary>bind with only the family: Linux gives the socket an abstract name of five hex digits.</summary>
    public UnixAddress AutobindName()
    {
        while (true)
        {
            var name = new UnixAddress([0, .. System.Text.Encoding.ASCII.GetBytes($"{_autobindNames++ & 0xFFFFF:x5}")], true);
            if (!AbstractSockets.ContainsKey(name.Key)) return name;
        }
    }
}
