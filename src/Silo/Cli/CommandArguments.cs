using System.Globalization;

namespace GradDescent.Silo.Cli;

/// <summary>
/// A command's arguments: positionals, <c>--option value</c>, <c>--switch</c> and <c>key=value</c> pairs
/// (the latter kept in order for trial parameters).
/// </summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);
    private readonly HashSet<string> switches = new(StringComparer.Ordinal);
    private readonly HashSet<string> consumed = new(StringComparer.Ordinal);

    private CommandArguments()
    {
    }

    public List<string> Positionals { get; } = [];

    public List<KeyValuePair<string, string>> Pairs { get; } = [];

    /// <param name="args">The arguments after the command name.</param>
    /// <param name="knownSwitches">Options that take no value (e.g. <c>json</c>).</param>
    /// <param name="knownOptions">Options that take a value (e.g. <c>db</c>).</param>
    public static CommandArguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> knownSwitches, IReadOnlySet<string> knownOptions)
    {
        var parsed = new CommandArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var name = arg[2..];
                string? inlineValue = null;
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                {
                    inlineValue = name[(equals + 1)..];
                    name = name[..equals];
                }

                if (knownSwitches.Contains(name) && inlineValue is null)
                {
                    parsed.switches.Add(name);
                }
                else if (knownOptions.Contains(name))
                {
                    var value = inlineValue ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"option --{name} needs a value"));
                    parsed.options[name] = value;
                }
                else
                {
                    throw new UsageException($"unknown option --{name}");
                }
            }
            else if (arg.Contains('=', StringComparison.Ordinal) && !arg.StartsWith('='))
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                parsed.Pairs.Add(new(arg[..equals].Trim(), arg[(equals + 1)..]));
            }
            else
            {
                parsed.Positionals.Add(arg);
            }
        }

        return parsed;
    }

    public bool Has(string name) => switches.Contains(name);

    public string? Option(string name) => options.GetValueOrDefault(name);

    public int? IntOption(string name, int min, int max)
    {
        if (Option(name) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new UsageException($"option --{name}: expected a whole number from {min} to {max}, got '{text}'");
        }

        return value;
    }

    public string Positional(int index, string name)
    {
        consumed.Add(name);
        return index < Positionals.Count ? Positionals[index] : throw new UsageException($"missing argument <{name}>");
    }

    /// <summary>Rejects positionals and key=value pairs a command does not take.</summary>
    public void ExpectNoMore(int positionals, bool pairsAllowed = false)
    {
        if (Positionals.Count > positionals)
        {
            throw new UsageException($"unexpected argument '{Positionals[positionals]}'");
        }

        if (!pairsAllowed && Pairs.Count > 0)
        {
            throw new UsageException($"unexpected argument '{Pairs[0].Key}={Pairs[0].Value}'");
        }
    }
}
