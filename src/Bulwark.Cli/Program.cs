using System.CommandLine;
using Bulwark.Cli.Commands;

var root = new RootCommand("Bulwark: a RISC-V machine and kernel for memory-protection research")
{
    RunCommand.Create(),
    ExploreCommand.Create(),
    EvalCommand.Create(),
    BenchCommand.Create(),
};
return root.Parse(GuestArguments.Separate(root, args)).Invoke();
