using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Bulwark.Machine.Cpu.Jit;

/// <summary>Compiles regions on a thread-pool thread while the engine's thread goes on interpreting
/// them, so RyuJIT's time (about 20 µs per guest instruction) is not spent on the guest's thread. Only
/// what code runs compiled, and when, depends on the host's timing: a region retires exactly the
/// instructions the interpreter would, so the guest's results, counts and schedule do not.
/// Only the engine's thread adds requests and takes results; the worker only compiles. A worker is
/// started (by <c>startWorker</c>, given the work to run) when a request finds none draining the queue.</summary>
internal sealed class CompileQueue(Action<Action> startWorker)
{
    /// <summary>Requests given to the worker and not yet taken back: a hot start found while this many
    /// are outstanding stays interpreted for now and is asked for again on a later entry, so that a
    /// burst of hot code cannot queue unbounded work (nor leave much behind when the guest ends).</summary>
    public const int MaxOutstanding = 32;

    /// <summary>A region to compile: the instructions scanned on the engine's thread, and where its
    /// result goes (<paramref name="Blocks"/> is the page's at the time: if a write has dropped it since,
    /// the region is put there, where nothing looks).</summary>
    public sealed record Request(PageBlocks Blocks, int Slot, ulong Pc, SortedList<ulong, DecodedInsn> Insns, ulong Continuation, int Warm);

    /// <summary>A compiled request, with the worker's time on it; or the exception compiling threw; or
    /// neither, if the request was cancelled before the worker reached it.</summary>
    public sealed record Result(Request Request, CompiledRegion? Region, TimeSpan Took, ExceptionDispatchInfo? Failure);

    /// <summary>Requests the worker has not started, the newest on top: the worker takes the newest first.
    /// A burst of requests comes when the guest enters a new phase (bzip2 -9's Huffman coding asks for
    /// about 25 regions at once), and the guest runs the newest code now, while the oldest waiting may
    /// be for code it has left. In-process A/B, 11 rounds each way (newest first against oldest first):
    /// bzip2 0.96x and, with the two in reverse order, 0.95x (1/1.05); Lua 0.95x and 0.96x; zstd 0.99x
    /// and 0.94x; lz4 0.90x and 1.04x; compute, whose dozen regions are asked for in the order they are
    /// best compiled, 1.05x and 1.07x (still under its target by far).</summary>
    private readonly Stack<Request> _waiting = new();
    private readonly ConcurrentQueue<Result> _done = new();
    /// <summary>Whether a worker is draining <see cref="_waiting"/> (guarded by its lock).</summary>
    private bool _draining;

    /// <summary>Requests added and not yet taken (the engine's thread only).</summary>
    public int Outstanding { get; private set; }

    public bool Full => Outstanding >= MaxOutstanding;

    /// <summary>Whether a finished request waits to be taken.</summary>
    public bool HasResults => !_done.IsEmpty;

    public void Add(Request request)
    {
        Outstanding++;
        lock (_waiting)
        {
            _waiting.Push(request);
            if (_draining) return;
            _draining = true;
        }
        startWorker(Drain);
    }

    /// <summary>A finished request, if there is one.</summary>
    public bool TryTake(out Result result)
    {
        if (!_done.TryDequeue(out result!)) return false;
        Outstanding--;
        return true;
    }

    /// <summary>Drops the requests the worker has not started (they come back as results with no
    /// region); the one it is compiling, if any, finishes.</summary>
    public void Cancel()
    {
        lock (_waiting)
            while (_waiting.TryPop(out var request)) _done.Enqueue(new Result(request, null, TimeSpan.Zero, null));
    }

    private void Drain()
    {
        while (true)
        {
            Request request;
            lock (_waiting)
            {
                if (!_waiting.TryPop(out request!))
                {
                    _draining = false;
                    return;
                }
            }
            long started = Stopwatch.GetTimestamp();
            try
            {
                var region = BlockCompiler.Compile(request.Pc, request.Insns, request.Continuation, request.Warm);
                BlockCompiler.ForceJit(region);
                _done.Enqueue(new Result(request, region, Stopwatch.GetElapsedTime(started), null));
            }
            catch (Exception e)
            {
                _done.Enqueue(new Result(request, null, Stopwatch.GetElapsedTime(started), ExceptionDispatchInfo.Capture(e)));
            }
        }
    }
}
