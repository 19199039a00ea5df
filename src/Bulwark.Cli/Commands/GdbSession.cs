using System.Net;
using System.Net.Sockets;
using Bulwark.Kernel;
using Bulwark.Lab.Debugging;

namespace Bulwark.Cli.Commands;

/// <summary>`--gdb PORT`: waits on 127.0.0.1:PORT for one gdb connection and puts the stub in front of the
/// machine's engine before the first instruction runs.</summary>
public sealed class GdbSession : IDisposable
{
    private readonly TcpClient _client;
    private readonly GdbStub _stub;

    private GdbSession(TcpClient client, GdbStub stub)
    {
        _client = client;
        _stub = stub;
    }

    /// <summary>A Linux run: one gdb thread per guest thread.</summary>
    public static GdbSession Attach(KernelCore kernel, int port) => Attach(kernel.Machine, new LinuxDebugTarget(kernel), port);

    /// <summary>A board run: one gdb thread per hart.</summary>
    public static GdbSession Attach(Bulwark.Machine.Machine machine, int port) => Attach(machine, new BoardDebugTarget(machine), port);

    private static GdbSession Attach(Bulwark.Machine.Machine machine, IDebugTarget target, int port)
    {
        TcpListener listener;
        try
        {
            listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new GdbSessionException($"--gdb {port}: cannot listen on 127.0.0.1:{port}: {e.Message}");
        }
        Console.Error.WriteLine($"bulwark: waiting for gdb on 127.0.0.1:{port} (target remote :{port})");
        var client = listener.AcceptTcpClient();
        listener.Stop();
        client.NoDelay = true;
        var packets = new GdbPackets(client.GetStream());
        var stub = new GdbStub(machine.Engine, target, packets, () => client.Available > 0);
        machine.Engine = stub;
        return new GdbSession(client, stub);
    }

    public void Exited(int status) => _stub.Exited(status);

    public void Dispose() => _client.Dispose();
}

public sealed class GdbSessionException(string message) : Exception(message);
