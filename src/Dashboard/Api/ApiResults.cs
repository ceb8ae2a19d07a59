using System.Text;
using GradDescent.Abstractions.Storage;
using GradDescent.Dashboard.Services;
using GradDescent.Storage.Queries;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace GradDescent.Dashboard.Api;

/// <summary>The API's error answers (RFC 7807 problem details) and the spec body reader.</summary>
internal static class ApiResults
{
    public static readonly string[] SpecContentTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain", "application/json"];

    public static ProblemHttpResult NotFound(string idOrName) =>
        TypedResults.Problem($"no sweep has id or name '{idOrName}'", statusCode: StatusCodes.Status404NotFound, title: "Sweep not found");

    public static ProblemHttpResult BadQuery(TrialQueryException ex) =>
        TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: $"Invalid {ex.Part}",
            extensions: new Dictionary<string, object?> { ["part"] = ex.Part, ["position"] = ex.Position });

    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult Unavailable(ControlPlaneUnavailableException ex) =>
        TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Control plane unavailable");

    public static ProblemHttpResult InvalidSpec(SpecCheck check) =>
        TypedResults.Problem(
            string.Join('\n', check.Problems.Select(p => p.Message)),
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid sweep spec",
            extensions: new Dictionary<string, object?> { ["errors"] = check.Problems });

    /// <summary>Reads a spec from the request body, at most <paramref name="limit"/> bytes of UTF-8.</summary>
    /// <returns>The text, or an error result (413 too large, 415 wrong content type, 400 empty).</returns>
    public static async Task<(string? Text, IResult? Error)> ReadSpecAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim() ?? string.Empty;
        if (!SpecContentTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            return (null, TypedResults.Problem(
                $"send the spec as the request body with Content-Type {string.Join(", ", SpecContentTypes)}; got '{mediaType}'",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + 1L;
        }

        if (request.ContentLength > limit)
        {
            return (null, TooLarge(limit));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return (null, TooLarge(limit));
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit));
        }

        var text = new UTF8Encoding(false, throwOnInvalidBytes: false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        return string.IsNullOrWhiteSpace(text) ? (null, BadRequest("the request body is empty: send the sweep spec (YAML or JSON)")) : (text, null);
    }

    public static string Status(SweepStatus status) => SweepService.StatusName(status);

    private static ProblemHttpResult TooLarge(int limit) =>
        TypedResults.Problem($"the spec is larger than {limit} bytes (GradDescent__Dashboard__MaxSpecBytes)", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Spec too large");
}
