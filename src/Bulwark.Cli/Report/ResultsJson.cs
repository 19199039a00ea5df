using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bulwark.Cli.Report;

/// <summary>results.json: the whole <see cref="EvalResults"/>, camelCase, indented, nulls kept (a null
/// section says it did not run). Source-generated, so no reflection at run time. Reading requires every
/// field and refuses a null where the records have none.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(EvalResults))]
public sealed partial class ResultsJsonContext : JsonSerializerContext;

public static class ResultsJson
{
    public const string FileName = "results.json";

    public static void Write(EvalResults results, string directory) =>
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(results, ResultsJsonContext.Default.EvalResults));

    public static EvalResults Read(string path) =>
        JsonSerializer.Deserialize(File.ReadAllText(path), ResultsJsonContext.Default.EvalResults)
        ?? throw new InvalidDataException($"{path}: empty");
}
