using System.Text;

namespace Bulwark.S3k.Kernel;

/// <summary>kprintf: the kernel's own lines on the console (the real kernel writes them to the UART
/// itself; this one writes them into the console stream the UART's output goes to). A line of a level
/// above the configured verbosity is dropped; a line is cut at 127 characters, as s3k's 128-byte buffer cuts it.</summary>
public sealed class KernelLog(Stream? console, int verbosity)
{
    private const int BufferSize = 128;

    public void Print(int level, string text)
    {
        if (level > verbosity || console == null) return;
        if (text.Length > BufferSize - 1) text = text[..(BufferSize - 1)];
        var bytes = Encoding.ASCII.GetBytes(text);
        console.Write(bytes, 0, bytes.Length);
    }
}
