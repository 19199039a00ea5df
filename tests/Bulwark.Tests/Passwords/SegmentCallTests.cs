using Bulwark.Kernel.Protections.Passwords;

namespace Bulwark.Tests.Passwords;

/// <summary>The segment system calls' own checks in every mode (lab/passwords/segcalls.c): bad sizes and
/// rights, grants only of what the granter holds, pwd_get only of what was granted, revocation and
/// destruction by the owner alone, a grantee's forked child inheriting its grant, a read-only grantee's
/// writes refused, the owner blamed for a bad pointer only it wrote, and nothing left of a destroyed
/// segment.</summary>
public sealed class SegmentCallTests
{
    public static TheoryData<SharedProtectionMode> Modes => Lab.AllModes();

    private static string Expected(SharedProtectionMode mode)
    {
        bool checks = mode != SharedProtectionMode.None;
        bool statistical = mode == SharedProtectionMode.Statistical, fallback = mode == SharedProtectionMode.Fallback;
        bool verifies = mode is SharedProtectionMode.Password or SharedProtectionMode.PasswordTable or SharedProtectionMode.Fallback;
        string denied = checks ? "-13" : "0";
        return string.Join("\n",
        [
            "create 0 bytes: -22",
            "create 1 GiB + 1: -22",
            "create without R: -22",
            "create with an unknown right: -22",
            "ids: 1 2 3",
            .. statistical ? Array.Empty<string>() : ["in the shared part, in order: yes"],
            $"owner get a X: {denied}",
            "owner get c X: 0",
            "owner get 99 R: -2",
            "owner get a with no right: -22",
            "owner get a with an unknown right: -22",
            "grant no right: -22",
            "grant an unknown right: -22",
            "grant W of a read-only segment: -22",
            "grant on segment 99: -2",
            "grant to pid 99999: -3",
            "grant R of a: 0",
            "reader attach a: 0",
            $"reader's address is the owner's: {(statistical ? "no" : "yes")}",
            "reader get a R: 0",
            $"reader get a W: {denied}",
            $"reader get a RW: {denied}",
            "reader grants the owner R of a: 0",
            "reader grants the owner W of a: -1",
            "reader revokes the owner: -1",
            "reader destroys a: -1",
            "reader's child get a R: 0",
            $"reader's write through its read grant: {(checks ? "SIGSEGV" : "done")}",
            $"reader's load of the owner's pointer: {(verifies ? "SIGSEGV si_code 0x51" : "loaded")}",
            "revoke the owner: -22",
            "revoke pid 99999: -3",
            "revoke on segment 99: -2",
            "revoke the reader: 0",
            "revoke the reader again: -3",
            "destroy a: 0",
            "destroy a again: -2",
            "get a after destroy: -2",
            "attach a after destroy: -2",
            $"load after destroy: SIGSEGV si_code {(mode is SharedProtectionMode.None or SharedProtectionMode.Statistical ? "0x1" : "0x50")}",
            "unmapped read: SIGSEGV",
            .. fallback
                ? ["report of an unknown kind: -22", "report with a returning handler: -14 after 1 signal"]
                : new[] { "report outside fallback: -22" },
            "",
        ]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void TheSegmentCalls_CheckWhoMayDoWhat(SharedProtectionMode mode)
    {
        var run = Lab.Run("segcalls", mode);
        Assert.True(run.Status == 0, run.Stdout + run.Stderr);
        Assert.Equal(Expected(mode), run.Stdout);
        Assert.Equal(3, run.Shared.Stats.SegmentsCreated);
        // The pointer into private memory was written by the owner alone: the owner is blamed, wherever
        // a check catches it.
        if (mode is SharedProtectionMode.Password or SharedProtectionMode.PasswordTable or SharedProtectionMode.Fallback)
            Assert.Equal(1, run.User(1000).Blamed);
        else Assert.Equal(0, run.User(1000).Blamed);
    }
}
