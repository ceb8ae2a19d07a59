using System.Globalization;
using System.Text;
using CsCheck;
using GradDescent.Abstractions.Experiments;
using GradDescent.Abstractions.Parameters;

namespace GradDescent.Sweeps.Tests.Fuzzing;

/// <summary>
/// CsCheck generators of hostile sweep specs: wrong types, huge counts, NaN and infinities, alias bombs, deep
/// nesting, big files, binary junk, control characters, path traversal and astronomically large grids, mixed into
/// otherwise plausible specs so that every reader (top level, parameters, grid, random) gets its share.
/// </summary>
internal static class HostileSpecs
{
    private static readonly string[] TopKeys =
        ["name", "description", "experiment", "parameters", "grid", "random", "repeats", "seed", "max_attempts", "batch_size", "repeat", "search"];

    private static readonly string[] ParameterNames =
        [.. ExperimentCatalog.All.SelectMany(e => e.Parameters).Select(p => p.Name).Distinct(), "lerning_rate", "", "a b"];

    private static readonly string[] Experiments = [.. ExperimentCatalog.All.Select(e => e.Name), "linear_regression", ""];

    private static readonly string[] Specials =
    [
        ".nan", ".NaN", ".inf", "-.inf", "+.inf", "1e999", "-1e999", "1e-999", "4.9e-324", "1.7976931348623157e308",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999", "0x7fffffffffffffff",
        "2147483648", "-0", "0", "1", "-1", "~", "null", "true", "False", "\"\"", "''", "\"50\"", "!!str 5", "!!binary AAAA", "!!int x",
        "&a 1", "*a", "*undefined", "|\n  block", ">\n  folded", "[]", "{}", "[1, [2, [3]]]", "{log: [1, 2]}", "{count: 5}",
    ];

    private static readonly string[] Paths =
    [
        "../../../../etc/passwd", "/etc/shadow", "/proc/self/environ", "/proc/self/cmdline", "/dev/zero", "/dev/stdin",
        "\"/etc/passwd\\0.csv\"", "\"a\\x01b\"", "\"\\u202e.csv\"", "~/.pgpass", "//server/share", "C:\\\\Windows", ".", "..",
        "\"" + new string('a', 5000) + "\"", "heights.csv", "sub/../../outside.csv",
    ];

    private static readonly Gen<string> Word = Gen.String[Gen.Char.AlphaNumeric, 0, 12];

    private static readonly Gen<string> Number = Gen.OneOf(
        Gen.Long.Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Int[-5, 2000].Select(v => v.ToString(CultureInfo.InvariantCulture)),
        Gen.Double.Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
        Gen.Double[-1e6, 1e6].Select(v => v.ToString("G6", CultureInfo.InvariantCulture)));

    /// <summary>A scalar as it would appear in YAML: numbers, specials, words, quoted junk with escapes, paths.</summary>
    private static readonly Gen<string> Scalar = Gen.Frequency(
        (4, Number),
        (3, Gen.OneOf(Specials)),
        (2, Word),
        (2, Gen.OneOf(Paths)),
        (1, Gen.String[Gen.Char, 0, 30].Select(Quote)),
        (1, Gen.OneOf(OptimizerCatalog.Names.ToArray())));

    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (6, Scalar),
            (2, value.List[0, 6].Select(items => $"[{string.Join(", ", items)}]")),
            (1, Gen.Select(Gen.OneOf("log", "linear", "uniform", "log_uniform", "int_uniform", "choice", "x"), value, Number)
                .Select(t => $"{{{t.Item1}: {t.Item2}, count: {t.Item3}}}")),
            (1, Gen.Select(Gen.OneOf(ParameterNames).List[0, 4], value.List[4, 4])
                .Select(t => $"{{{string.Join(", ", t.Item1.Distinct().Zip(t.Item2, (k, v) => $"{Key(k)}: {v}"))}}}"))));

    /// <summary>A mapping section body: parameter names (some unknown, none twice) to values, one per line.</summary>
    private static readonly Gen<string> Section = Gen.Select(Gen.OneOf(ParameterNames).List[0, 8], Value.List[8, 8])
        .Select(t => string.Concat(t.Item1.Distinct().Zip(t.Item2, (k, v) => $"  {Key(k)}: {v}\n")));

    private static readonly Gen<string> RandomSection = Gen.Select(Gen.OneOf(Specials.Concat(["20", "1000000"]).ToArray()), Section)
        .Select(t => $"random:\n  samples: {t.Item1}\n  space:\n{t.Item2.Replace("\n  ", "\n    ", StringComparison.Ordinal).Insert(0, "  ")}");

    /// <summary>A plausible spec with hostile values in it.</summary>
    private static readonly Gen<string> Plausible = Gen.Select(
            Gen.Frequency((8, Gen.OneOf(Experiments)), (1, Scalar)),
            Section, Section, Gen.Bool, RandomSection,
            Gen.Select(Gen.OneOf(TopKeys), Value).List[0, 3])
        .Select(t =>
        {
            var text = new StringBuilder($"name: fuzz\nexperiment: {t.Item1}\n");
            text.Append("parameters:\n").Append(t.Item2);
            text.Append("grid:\n").Append(t.Item3);
            if (t.Item4)
            {
                text.Append(t.Item5);
            }

            foreach (var (key, value) in t.Item6)
            {
                text.Append(CultureInfo.InvariantCulture, $"{key}: {value}\n");
            }

            return text.ToString();
        });

    /// <summary>A spec of a real experiment with values of roughly the right kind: reaches binding and expansion.</summary>
    private static readonly Gen<string> NearlyValid = Gen.Select(Gen.OneOf(ExperimentCatalog.All.ToArray()), Gen.Int[0, int.MaxValue].Array[12, 12], Gen.Int[0, 3])
        .Select(t =>
        {
            var (experiment, picks, layout) = (t.Item1, t.Item2, t.Item3);
            var parameters = experiment.Parameters.Where((_, i) => picks[i % picks.Length] % 3 == 0).ToList();
            var text = new StringBuilder($"name: nearly\nexperiment: {experiment.Name}\nrepeats: {1 + (picks[0] % 4)}\nseed: {picks[1] - (int.MaxValue / 2)}\n");
            var sections = new[] { "parameters", "grid", "random" };
            var bySection = parameters.GroupBy(p => sections[(picks[2] + p.Name.Length) % (layout == 0 ? 1 : 3)]);
            foreach (var group in bySection)
            {
                text.Append(group.Key == "random" ? $"random:\n  samples: {1 + (picks[3] % 50)}\n  space:\n" : $"{group.Key}:\n");
                foreach (var (parameter, n) in group.Select((p, n) => (p, n)))
                {
                    var pick = picks[(n + 4) % picks.Length];
                    var value = KindValue(parameter, pick);
                    text.Append(group.Key switch
                    {
                        "parameters" => $"  {parameter.Name}: {value}\n",
                        "grid" => parameter.Kind is ParameterKind.Integer or ParameterKind.Real && pick % 2 == 0
                            ? $"  {parameter.Name}: {{{(pick % 4 == 0 ? "log" : "linear")}: [{value}, {KindValue(parameter, pick / 7)}], count: {1 + (pick % 60)}}}\n"
                            : $"  {parameter.Name}: [{value}, {KindValue(parameter, pick / 3)}, {KindValue(parameter, pick / 11)}]\n",
                        _ => parameter.Kind switch
                        {
                            ParameterKind.Real => $"    {parameter.Name}: {{{(pick % 2 == 0 ? "uniform" : "log_uniform")}: [{value}, {KindValue(parameter, pick / 5)}]}}\n",
                            ParameterKind.Integer => $"    {parameter.Name}: {{int_uniform: [{value}, {KindValue(parameter, pick / 5)}]}}\n",
                            _ => $"    {parameter.Name}: {{choice: [{value}, {KindValue(parameter, pick / 13)}]}}\n",
                        },
                    });
                }
            }

            return text.ToString();
        });

    /// <summary>Grids whose product of axis sizes runs from large to far past 2^63, as lists and as generators.</summary>
    private static readonly Gen<string> HugeGrid = Gen.Select(Gen.Int[1, 12], Gen.Int[1, 2000], Gen.Long[1, long.MaxValue], Gen.Bool, Gen.Int[1, int.MaxValue])
        .Select(t =>
        {
            var names = new[] { "learning_rate", "iterations", "init_slope", "init_intercept", "intercept_grad_scale", "epsilon", "weight_decay", "initial_accumulator", "momentum", "beta1", "beta2", "rho" };
            var text = new StringBuilder("name: huge\nexperiment: linear-regression\ngrid:\n");
            for (var axis = 0; axis < t.Item1; axis++)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {names[axis]}: ");
                text.Append(t.Item4
                    ? $"{{linear: [0.001, 0.9], count: {t.Item3}}}\n"
                    : $"[{string.Join(", ", Enumerable.Range(1, t.Item2).Select(i => (i / (t.Item2 + 1.0)).ToString("R", CultureInfo.InvariantCulture)))}]\n");
            }

            return text.Append(CultureInfo.InvariantCulture, $"repeats: {t.Item5}\n").ToString();
        });

    private static readonly Gen<string> AliasBomb = Gen.Select(Gen.Int[1, 16], Gen.Int[2, 12], Gen.Int[0, 3])
        .Select(t =>
        {
            var bomb = new StringBuilder($"  l0: &l0 [{string.Join(", ", Enumerable.Repeat("0.5", t.Item2))}]\n");
            for (var level = 1; level < t.Item1; level++)
            {
                bomb.Append(CultureInfo.InvariantCulture, $"  l{level}: &l{level} [{string.Join(", ", Enumerable.Repeat($"*l{level - 1}", t.Item2))}]\n");
            }

            var top = $"*l{t.Item1 - 1}";
            var use = t.Item3 switch
            {
                0 => $"grid:\n  learning_rate: {top}\n",
                1 => $"grid:\n  ? {top}\n  : [1]\n",
                2 => $"random:\n  samples: 3\n  space:\n    optimizer: {{choice: {top}}}\n",
                _ => $"parameters: {top}\n",
            };
            return $"name: bomb\nexperiment: linear-regression\ndescription:\n{bomb}{use}";
        });

    private static readonly Gen<string> DeepNesting = Gen.Select(Gen.Int[1, 40_000], Gen.Int[0, 2])
        .Select(t => "name: deep\nexperiment: vector-spread\ngrid:\n  vectors: " + t.Item2 switch
        {
            0 => new string('[', t.Item1) + new string(']', t.Item1),
            1 => string.Concat(Enumerable.Repeat("{a: ", t.Item1)) + "1" + new string('}', t.Item1),
            _ => new string('[', t.Item1),
        } + "\n");

    /// <summary>Texts around the size limit: repeated values, comments or one enormous string.</summary>
    private static readonly Gen<string> BigFile = Gen.Select(Gen.Int[900_000, 3_000_000], Gen.Int[0, 3])
        .Select(t => t.Item2 switch
        {
            0 => "name: big\nexperiment: linear-regression\ngrid:\n  optimizer: [" + string.Join(",", Enumerable.Repeat("adam", t.Item1 / 5)) + "]\n",
            1 => "name: big\nexperiment: linear-regression\n" + string.Concat(Enumerable.Repeat("# padding\n", t.Item1 / 10)),
            2 => $"name: big\nexperiment: adversarial\nparameters:\n  image: \"{new string('x', t.Item1)}\"\n",
            _ => "name: big\nexperiment: linear-regression\ngrid:\n  learning_rate: [" + string.Join(",", Enumerable.Range(1, t.Item1 / 12).Select(i => (i * 1e-7).ToString("R", CultureInfo.InvariantCulture))) + "]\n",
        });

    /// <summary>Random characters (control characters, surrogates and all) or random bytes read as UTF-8.</summary>
    private static readonly Gen<string> Junk = Gen.OneOf(
        Gen.String[Gen.Char, 0, 4000],
        Gen.Byte.Array[0, 4000].Select(bytes => Encoding.UTF8.GetString(bytes)),
        Gen.Select(Gen.String[Gen.Char, 1, 40], Gen.Int[0, 200]).Select(t => "name: junk\nexperiment: linear-regression\n" + t.Item1 + new string('\n', t.Item2 % 3) + "grid: " + t.Item1));

    /// <summary>A shipped spec with a piece cut out, duplicated or overwritten by junk.</summary>
    private static Gen<string> Mutated(IReadOnlyList<string> seeds) => Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Double.Unit, Gen.Double.Unit, Gen.String[Gen.Char, 0, 20], Gen.Int[0, 2])
        .Select(t =>
        {
            var text = seeds[t.Item1];
            var at = (int)(t.Item2 * text.Length);
            var length = (int)(t.Item3 * (text.Length - at));
            return t.Item5 switch
            {
                0 => text.Remove(at, length),
                1 => text.Insert(at, text.Substring(at, length)),
                _ => text.Remove(at, Math.Min(length, t.Item4.Length)).Insert(at, t.Item4),
            };
        });

    /// <summary>Every kind of hostile spec, weighted so that the cheap kinds get most of the iterations.</summary>
    public static Gen<string> Any(IReadOnlyList<string> seeds) => Gen.Frequency(
        (20, Plausible),
        (20, NearlyValid),
        (15, Mutated(seeds)),
        (10, Junk),
        (6, HugeGrid),
        (6, AliasBomb),
        (4, DeepNesting),
        (1, BigFile));

    /// <summary>A value of the parameter's kind, sometimes out of range or extreme, picked by <paramref name="pick"/>.</summary>
    private static string KindValue(ParameterDefinition parameter, int pick) => parameter.Kind switch
    {
        ParameterKind.Integer => (pick % 5) switch
        {
            0 => "9223372036854775807",
            1 => "-9223372036854775808",
            _ => (parameter.Min ?? 0 + (pick % 100)).ToString("R", CultureInfo.InvariantCulture).Replace(".0", string.Empty, StringComparison.Ordinal),
        },
        ParameterKind.Real => (pick % 6) switch
        {
            0 => "1e308",
            1 => "-1e308",
            2 => "5e-324",
            _ => ((pick % 1000) / 997.0).ToString("R", CultureInfo.InvariantCulture),
        },
        ParameterKind.Boolean => pick % 2 == 0 ? "true" : "false",
        ParameterKind.Choice => pick % 7 == 0 ? "nope" : parameter.Choices[pick % parameter.Choices.Count],
        _ => Paths[pick % Paths.Length],
    };

    private static string Key(string name) => name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) ? $"\"{name}\"" : name;

    /// <summary>A double-quoted YAML string of arbitrary characters, escaped as YAML needs.</summary>
    private static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or '\u007f' => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ when char.IsSurrogate(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
