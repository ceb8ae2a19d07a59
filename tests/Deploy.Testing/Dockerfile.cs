using System.Text.RegularExpressions;

namespace GradDescent.Deploy.Testing;

/// <summary>One instruction of a Dockerfile (continuation lines joined, comments dropped).</summary>
public sealed record DockerInstruction(string Keyword, string Arguments);

/// <summary>A Dockerfile read into instructions and build stages, with ARG defaults substituted in FROM lines.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerInstruction> instructions)
    {
        Path = path;
        Instructions = instructions;
    }

    public string Path { get; }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    public static Dockerfile Load(string path)
    {
        var instructions = new List<DockerInstruction>();
        var pending = string.Empty;
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var full = (pending + line).Trim();
            pending = string.Empty;
            if (full.Length > 0)
            {
                var space = full.IndexOf(' ');
                instructions.Add(new DockerInstruction(full[..space].ToUpperInvariant(), full[(space + 1)..].Trim()));
            }
        }

        return new Dockerfile(path, instructions);
    }

    /// <summary>Defaults of ARGs declared before the first FROM (the ones FROM lines may use).</summary>
    public IReadOnlyDictionary<string, string> GlobalArguments =>
        Instructions.TakeWhile(i => i.Keyword != "FROM").Where(i => i.Keyword == "ARG").Select(i => i.Arguments.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty);

    /// <summary>The base image of every stage, ARG defaults substituted.</summary>
    public IReadOnlyList<string> BaseImages =>
        [.. Instructions.Where(i => i.Keyword == "FROM").Select(i => Reference().Replace(i.Arguments.Split(' ')[0], m => GlobalArguments[m.Groups["name"].Value]))];

    /// <summary>The instructions of the last stage (what the image is).</summary>
    public IReadOnlyList<DockerInstruction> FinalStage => [.. Instructions.Skip(Instructions.ToList().FindLastIndex(i => i.Keyword == "FROM"))];

    /// <summary>The instructions of the first stage.</summary>
    public IReadOnlyList<DockerInstruction> BuildStage => [.. Instructions.SkipWhile(i => i.Keyword != "FROM").Skip(1).TakeWhile(i => i.Keyword != "FROM")];

    /// <summary>The image's working directory: the last WORKDIR of the final stage (/ when it sets none).</summary>
    public string WorkingDirectory => FinalStage.LastOrDefault(i => i.Keyword == "WORKDIR")?.Arguments ?? "/";

    /// <summary>The image's ENTRYPOINT in exec form (a JSON array), or empty when the final stage sets none.</summary>
    public IReadOnlyList<string> Entrypoint =>
        FinalStage.LastOrDefault(i => i.Keyword == "ENTRYPOINT") is { } entrypoint
            ? System.Text.Json.JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)
                ?? throw new InvalidOperationException($"{Path}: ENTRYPOINT is not an exec-form JSON array")
            : [];

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Reference();
}
