using Bulwark.Cli.Report;

namespace Bulwark.Cli.Commands;

/// <summary>One unit of `bulwark eval`'s work (a handler's attacks, a benchmark, a password cell, a
/// revocation cell...): its phase and name for the progress line, and what it adds to the results. The
/// eval's items have a fixed order, and `--shard I/N` runs item k when k mod N = I. An item's result does
/// not depend on which items ran before it: each builds its own kernels from its own seeds.</summary>
public sealed record EvalItem(string Phase, string Name, Action<EvalResults> Compute);
