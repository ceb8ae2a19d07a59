using System.Text;
using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using GradDescent.Storage.Queries;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace GradDescent.Dashboard.Api;

/// <summary><c>/api/sweeps/{idOrName}/trials</c>: server-paged, sorted, filtered trials (SQL on the store), CSV, one trial.</summary>
internal static class TrialEndpoints
{
    public static void MapTrialEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var trials = endpoints.MapGroup("/api/sweeps/{idOrName}").WithTags("Trials").RequireAuthorization(DashboardAuth.ReadPolicy);

        trials.MapGet("/trials", PageAsync)
            .WithName("ListTrials")
            .WithSummary("A page of trials: {\"total\": N, \"items\": [...]}. filter e.g. 'optimizer = adam and learning_rate < 0.01 and mse < 120'; sort e.g. '-mse,seed'.");

        trials.MapGet("/trials.csv", CsvAsync)
            .WithName("ExportTrials").WithSummary("Every trial matching the filter, in the sort's order, as CSV.");

        trials.MapGet("/trials/{index:long}", async (string idOrName, long index, SweepService sweeps, TrialService service, CancellationToken ct) =>
        {
            if (await sweeps.FindAsync(idOrName, ct) is not { } record)
            {
                return ApiResults.NotFound(idOrName);
            }

            return await service.DetailAsync(record, index, ct) is { } detail
                ? Results.Ok(detail)
                : TypedResults.Problem($"sweep {record.Id} has no stored trial {index}", statusCode: StatusCodes.Status404NotFound, title: "Trial not found");
        }).WithName("GetTrial").WithSummary("One trial: parameters, metrics, step series, detail document.");

        trials.MapGet("/fields", async (string idOrName, SweepService sweeps, TrialService service, CancellationToken ct) =>
            await sweeps.FindAsync(idOrName, ct) is { } record ? Results.Ok(FieldsView.From(await service.FieldsAsync(record, ct))) : ApiResults.NotFound(idOrName))
            .WithName("GetTrialFields").WithSummary("The names trials can be filtered and sorted by: columns, parameters, metrics.");
    }

    private static async Task<IResult> PageAsync(
        string idOrName, string? filter, string? sort, int? page, int? pageSize, SweepService sweeps, TrialService service, CancellationToken ct)
    {
        if (await sweeps.FindAsync(idOrName, ct) is not { } record)
        {
            return ApiResults.NotFound(idOrName);
        }

        try
        {
            return TypedResults.Ok(await service.PageAsync(record, new TrialQuery(filter, sort, page ?? 1, pageSize ?? 50), ct));
        }
        catch (TrialQueryException ex)
        {
            return ApiResults.BadQuery(ex);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return ApiResults.BadRequest($"{ex.ParamName} must be from 1 (page size at most {TrialQuery.MaxPageSize}); got {ex.ActualValue}");
        }
    }

    private static async Task<IResult> CsvAsync(string idOrName, string? filter, string? sort, HttpContext context, SweepService sweeps, TrialService service, CancellationToken ct)
    {
        if (await sweeps.FindAsync(idOrName, ct) is not { } record)
        {
            return ApiResults.NotFound(idOrName);
        }

        try
        {
            // Checked before the first byte, so a bad filter is a 400 and not a broken download.
            TrialQueries.Validate(Storage.StorageProvider.Sqlite, await service.FieldsAsync(record, ct), filter, sort);
        }
        catch (TrialQueryException ex)
        {
            return ApiResults.BadQuery(ex);
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{record.Id}-trials.csv\"";
        await using var writer = new StreamWriter(context.Response.Body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await service.WriteCsvAsync(record, filter, sort, writer, ct);
        await writer.FlushAsync(ct);
        return Results.Empty;
    }
}

/// <summary>The filterable names of a sweep, grouped.</summary>
public sealed record FieldsView(IReadOnlyList<FieldView> Columns, IReadOnlyList<FieldView> Parameters, IReadOnlyList<FieldView> Metrics)
{
    public static FieldsView From(TrialFields fields) => new(
        [.. TrialFields.Columns.Select(FieldView.From)], [.. fields.Parameters.Select(FieldView.From)], [.. fields.Metrics.Select(FieldView.From)]);
}

public sealed record FieldView(string Name, string Kind)
{
    public static FieldView From(TrialField field) => new(field.Name, field.Kind.ToString().ToLowerInvariant());
}
