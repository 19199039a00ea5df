using System.Text;

namespace Bulwark.Machine.Scheduling;

/// <summary>Records every decision of an inner strategy, or replays a recorded list of decisions. A
/// replay that is asked a different question than was recorded stops with the decision's index.</summary>
public sealed class ScheduleRecording : ISchedulingStrategy
{
    private const string Magic = "bulwark-schedule 1";
    private readonly ISchedulingStrategy? _inner;
    private readonly List<long> _decisions = [];
    private int _next;

    private ScheduleRecording(ISchedulingStrategy? inner, List<long> decisions, IReadOnlyDictionary<string, string> settings)
    {
        _inner = inner;
        _decisions = decisions;
        Settings = settings;
    }

    /// <summary>The run settings stored with a replayed schedule (lines `@name value`), e.g. seed and harts.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    public static ScheduleRecording Record(ISchedulingStrategy inner) => new(inner, [], new Dictionary<string, string>());

    public static ScheduleRecording Replay(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ScheduleException($"{path}: cannot read schedule: {e.Message}"); }
        if (lines.Length == 0 || lines[0] != Magic) throw new ScheduleException($"{path}: not a Bulwark schedule (first line should be '{Magic}')");
        var decisions = new List<long>();
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 || lines[i][0] == '#') continue;
            if (lines[i][0] == '@')
            {
                var parts = lines[i][1..].Split(' ', 2);
                if (parts.Length != 2) throw new ScheduleException($"{path}:{i + 1}: expected '@name value'");
                settings[parts[0]] = parts[1];
                continue;
            }
            foreach (var token in lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!long.TryParse(token, out long v)) throw new ScheduleException($"{path}:{i + 1}: bad decision '{token}'");
                decisions.Add(v);
            }
        }
        return new ScheduleRecording(null, decisions, settings);
    }

    public int Count => _decisions.Count;

    public bool Exhausted => _inner == null && _next >= _decisions.Count;

    /// <summary>Writes the decisions, a comment, and the run settings a replay must reuse.</summary>
    public void Save(string path, string comment, IReadOnlyDictionary<string, string>? settings = null) =>
        File.WriteAllText(path, ToText(comment, settings));

    /// <summary>The schedule file's text (what <see cref="Save"/> writes), for carrying a schedule inside
    /// another document (an explore shard's JSON).</summary>
    public string ToText(string comment, IReadOnlyDictionary<string, string>? settings = null)
    {
        var text = new StringBuilder();
        text.AppendLine(Magic);
        text.AppendLine("# " + comment.ReplaceLineEndings(" "));
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) text.AppendLine($"@{name} {value}");
        for (int i = 0; i < _decisions.Count; i += 16)
            text.AppendLine(string.Join(' ', _decisions.Skip(i).Take(16)));
        return text.ToString();
    }

    // Each decision is stored with a tag of its kind and range so a diverging replay is caught.
    public int PickThread(IReadOnlyList<int> candidates) =>
        (int)Decide(1, candidates.Count, () => _inner!.PickThread(candidates));

    public long Quantum() => Decide(2, 0, () => _inner!.Quantum());

    public bool PreemptInKernel(int tid) => Decide(3, 0, () => _inner!.PreemptInKernel(tid) ? 1 : 0) != 0;

    private long Decide(int kind, int range, Func<long> ask)
    {
        long tag = kind * 1000 + Math.Min(range, 999);
        if (_inner != null)
        {
            long value = ask();
            _decisions.Add(tag);
            _decisions.Add(value);
            return value;
        }
        if (_next + 1 >= _decisions.Count)
            throw new ScheduleException($"replay ran out of recorded decisions at decision {_next / 2}: the program or its input differs from the recording");
        if (_decisions[_next] != tag)
            throw new ScheduleException($"replay diverged at decision {_next / 2}: recorded kind {_decisions[_next]}, asked {tag}");
        long recorded = _decisions[_next + 1];
        _next += 2;
        return recorded;
    }
}

public sealed class ScheduleException(string message) : Exception(message);
