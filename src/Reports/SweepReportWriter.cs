using GradDescent.Abstractions.Storage;
using GradDescent.Reports.Analysis;
using GradDescent.Reports.Document;
using GradDescent.Storage;

namespace GradDescent.Reports;

/// <summary>
/// Writes a report folder (<c>index.html</c>, <c>summary.md</c>, CSV tables, PNG charts, GIF animations) for one sweep or
/// a family of sweeps, from the result store alone (report views, step series, stored artefacts): it renders the same on
/// any machine that reaches the database. The folder appears complete or not at all.
/// </summary>
public static class SweepReportWriter
{
    /// <summary>The default folder: <c>reports/&lt;first sweep id&gt;</c> under the current directory.</summary>
    public static string DefaultFolder(string sweepId) => Path.Combine(Environment.CurrentDirectory, "reports", sweepId);

    /// <summary>
    /// Resolves each name to sweeps: an exact sweep id, otherwise every sweep whose name starts with it (the newest
    /// sweep of each name), in the order given.
    /// </summary>
    /// <exception cref="SweepNotFoundException">A name matches no sweep.</exception>
    public static async Task<IReadOnlyList<SweepRecord>> ResolveAsync(IResultStore store, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(names);
        var resolved = new List<SweepRecord>();
        IReadOnlyList<SweepRecord>? all = null;
        foreach (var name in names)
        {
            if (await store.GetSweepAsync(name, cancellationToken).ConfigureAwait(false) is { } sweep)
            {
                resolved.Add(sweep);
                continue;
            }

            all ??= await store.ListSweepsAsync(cancellationToken).ConfigureAwait(false);
            var family = all.Where(s => s.Name.StartsWith(name, StringComparison.Ordinal))
                .GroupBy(s => s.Name, StringComparer.Ordinal)
                .Select(g => g.OrderByDescending(s => s.CreatedAt).First())
                .OrderBy(s => s.Name, StringComparer.Ordinal)
                .ToList();
            if (family.Count == 0)
            {
                throw new SweepNotFoundException($"no sweep has id '{name}' and no sweep name starts with '{name}' (graddescent sweeps lists them)");
            }

            resolved.AddRange(family);
        }

        return [.. resolved.DistinctBy(s => s.Id)];
    }

    /// <returns>The full path of the written folder.</returns>
    public static Task<string> WriteAsync(IResultStore store, IReadOnlyList<SweepRecord> sweeps, string folder, CancellationToken cancellationToken) =>
        WriteAsync(store, sweeps, folder, TimeProvider.System, cancellationToken);

    /// <param name="store">The result store to read.</param>
    /// <param name="sweeps">The sweeps to report on, in order.</param>
    /// <param name="folder">The report folder (replaced atomically).</param>
    /// <param name="time">The clock of the page's "Generated" line.</param>
    /// <param name="cancellationToken">Stops the report.</param>
    /// <returns>The full path of the written folder.</returns>
    public static async Task<string> WriteAsync(
        IResultStore store, IReadOnlyList<SweepRecord> sweeps, string folder, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(sweeps);
        if (sweeps.Count == 0)
        {
            throw new ArgumentException("a report needs at least one sweep", nameof(sweeps));
        }

        return await ReportFolder.WriteAsync(folder, async temporary =>
        {
            // Each sweep's trials are read once: its trials CSV is written into the folder as they stream by.
            var data = new List<SweepComparison>();
            foreach (var sweep in sweeps)
            {
                var sweepFolder = Path.Combine(temporary, sweeps.Count == 1 ? string.Empty : sweep.Id);
                Directory.CreateDirectory(sweepFolder);
                data.Add(await SweepComparison.LoadAsync(store, sweep, Path.Combine(sweepFolder, "trials.csv"), cancellationToken).ConfigureAwait(false));
            }

            var page = new ReportPage(sweeps.Count == 1 ? $"GradDescent report: {sweeps[0].Name}" : $"GradDescent report: {sweeps.Count} sweeps");
            page.Add(new ParagraphBlock(
                $"Generated {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC from the {store.Provider} result store. Every table is also a CSV file beside this page, and a SQL view in the database (docs/schema.md)."));
            if (data.Count > 1)
            {
                page.Add(new HeadingBlock(2, "Rank of each contender per sweep"));
                var cross = CrossExperimentTable.Build(data);
                await File.WriteAllTextAsync(Path.Combine(temporary, "cross_experiment.csv"), cross.ToCsv(), cancellationToken).ConfigureAwait(false);
                page.Add(new TableBlock(cross, "cross_experiment.csv", "Rank 1 is best: each sweep's overall rank of the contender (what that sweep compares, e.g. optimizer); — : not in that sweep, or nothing completed."));
            }

            foreach (var sweep in data)
            {
                var prefix = data.Count == 1 ? string.Empty : $"{sweep.Sweep.Id}/";
                var sweepFolder = Path.Combine(temporary, prefix);
                Directory.CreateDirectory(sweepFolder);
                await SweepSection.WriteAsync(store, sweep, page, temporary, prefix, cancellationToken).ConfigureAwait(false);
            }

            await File.WriteAllTextAsync(Path.Combine(temporary, "index.html"), page.ToHtml(), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(temporary, "summary.md"), page.ToMarkdown(), cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }
}
