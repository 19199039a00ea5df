using Bulwark.Kernel.Fs;

namespace Bulwark.Cli.Commands;

/// <summary>The environment `bulwark run` gives the guest: a login shell's (HOME, PATH, USER, LOGNAME,
/// TERM for the user /etc/passwd names) unless --clear-env, then each --env in order, replacing a variable
/// of the same name in place or adding it at the end. The kernel itself passes exactly what it is given,
/// so in-process runs (the differential tests) see the empty environment qemu saw under env -i.</summary>
public static class GuestEnvironment
{
    public static IReadOnlyList<string> Build(bool clear, IEnumerable<string> settings)
    {
        var environment = clear ? new List<string>() : [.. EtcFiles.LoginEnvironment];
        foreach (string setting in settings)
        {
            string name = setting[..(setting.IndexOf('=') + 1)];
            int at = environment.FindIndex(e => e.StartsWith(name, StringComparison.Ordinal));
            if (at >= 0) environment[at] = setting;
            else environment.Add(setting);
        }
        return environment;
    }
}
