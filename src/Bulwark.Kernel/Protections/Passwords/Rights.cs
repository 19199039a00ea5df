namespace Bulwark.Kernel.Protections.Passwords;

/// <summary>PWD_R, PWD_W, PWD_X of the header.</summary>
[Flags]
public enum Rights
{
    None = 0,
    Read = 1,
    Write = 2,
    Execute = 4,
    All = Read | Write | Execute,
}

/// <summary>The access kinds a segment has a password for (the seed: read-only, read-write, execute).</summary>
public enum PasswordKind
{
    Read = 0,
    ReadWrite = 1,
    Execute = 2,
}

public static class RightsExtensions
{
    /// <summary>The password that `pwd_get(seg, rights)` hands out: write implies read-write, else
    /// read, else execute.</summary>
    public static bool TryKind(this Rights rights, out PasswordKind kind)
    {
        kind = (rights & Rights.Write) != 0 ? PasswordKind.ReadWrite : (rights & Rights.Read) != 0 ? PasswordKind.Read : PasswordKind.Execute;
        return rights != Rights.None && (rights & ~Rights.All) == 0;
    }

    /// <summary>The rights a holder of this kind's password has.</summary>
    public static Rights Allows(this PasswordKind kind) => kind switch
    {
        PasswordKind.ReadWrite => Rights.Read | Rights.Write,
        PasswordKind.Read => Rights.Read,
        _ => Rights.Execute,
    };
}
