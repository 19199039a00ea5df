namespace Bulwark.Machine.Translation;

[Flags]
public enum AccessType : byte
{
    Read = 1,
    Write = 2,
    Execute = 4,
}
