using System.CommandLine;
using Bulwark.Cli.Commands;

var root = new RootCommand("Bulwark: a RISC-V machine and kernel for memory-protection research")
{
    RunCommand.Create(),
    ExploreCommand.Create(),
    MergeCommand.Create(),
    EvalCommand.Create(),
    BenchCommand.Create(),
    SystemCommand.Create(),
    S3kCommand.Create(),
};
// Asked for nothing: the help is the answer.
if (args.Length == 0) return root.Parse(["--help"]).Invoke();
var parse = root.Parse(GuestArguments.Separate(root, args));
// One line per problem, no help dump: the usage is one `--help` away.
if (parse.Errors.Count > 0)
{
    // An unknown command also makes the parser say that no command was given: one line is enough.
    var errors = parse.Errors.Select(e => e.Message).ToList();
    if (errors.Any(e => e.StartsWith("Unrecognized command or argument"))) errors.RemoveAll(e => e == "Required command was not provided.");
    foreach (var error in errors) Console.Error.WriteLine($"bulwark: error: {OptionRules.Explain(error)}");
    return RunCommand.InputError;
}
return parse.Invoke();
