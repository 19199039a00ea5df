using System.CommandLine;
using Bulwark.Cli.Commands;

var root = new RootCommand("Bulwark: a RISC-V machine and kernel for memory-protection research")
{
    RunCommand.Create(),
    ExploreCommand.Create(),
    EvalCommand.Create(),
    BenchCommand.Create(),
    SystemCommand.Create(),
    S3kCommand.Create(),
};
if (args.Length == 0)
{
    root.Parse(["--help"]).Invoke();
    return RunCommand.InputError;
}
var parse = root.Parse(GuestArguments.Separate(root, args));
// One line per problem, no help dump: the usage is one `--help` away.
if (parse.Errors.Count > 0)
{
    foreach (var error in parse.Errors) Console.Error.WriteLine($"bulwark: error: {OptionRules.Explain(error.Message)}");
    return RunCommand.InputError;
}
return parse.Invoke();
