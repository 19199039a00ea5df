namespace Bulwark.Machine.Devices;

/// <summary>Where devices say what they do (<c>--trace-devices</c>): one line per event, stamped with the
/// virtual time. Off unless a writer is set; callers still build their message, so keep traced events
/// off the hot paths.</summary>
public sealed class DeviceTrace(VirtualClock clock)
{
    public TextWriter? Writer { get; set; }

    public bool Enabled => Writer != null;

    public void Line(string device, string message) =>
        Writer?.WriteLine($"[{clock.Nanoseconds / 1000.0,12:F3} us] {device}: {message}");
}
