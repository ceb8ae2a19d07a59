using GradDescent.Dashboard.Options;
using GradDescent.Dashboard.Security;
using GradDescent.Dashboard.Services;
using GradDescent.Sweeps;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Pages;

/// <summary>Paste or upload a spec; check it (errors at their line and column, trial count) and launch it.</summary>
[EnableRateLimiting(DashboardAuth.LaunchRateLimit)]
[RequestSizeLimit(HardLimit)]
[RequestFormLimits(MultipartBodyLengthLimit = HardLimit, ValueLengthLimit = HardLimit)]
public sealed class LaunchModel(SweepLauncher launcher, PageAccess access, IOptions<DashboardOptions> options) : PageModel
{
    /// <summary>Ceiling of any form (the configurable <see cref="DashboardOptions.MaxSpecBytes"/> is checked below it).</summary>
    private const int HardLimit = 17 * 1024 * 1024;

    [BindProperty]
    public string? Spec { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public SpecCheck? Check { get; private set; }

    public IReadOnlyList<string> Lines { get; private set; } = [];

    public string? Message { get; private set; }

    public bool StateChangesEnabled => access.StateChangesEnabled;

    public bool SignedIn { get; private set; }

    public async Task OnGetAsync() => SignedIn = await access.CanOperateAsync(HttpContext);

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken cancellationToken)
    {
        SignedIn = await access.CanOperateAsync(HttpContext);
        if (await ReadAsync(cancellationToken) is { } source)
        {
            Check = launcher.Check(Spec!, source);
            Lines = Spec!.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            Response.StatusCode = Check.Valid ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostLaunchAsync(CancellationToken cancellationToken)
    {
        SignedIn = await access.CanOperateAsync(HttpContext);
        if (!SignedIn)
        {
            return access.StateChangesEnabled ? Redirect("/signin?ReturnUrl=%2Flaunch") : await OnPostCheckAsync(cancellationToken);
        }

        if (await ReadAsync(cancellationToken) is not { } source)
        {
            return Page();
        }

        try
        {
            var record = await launcher.LaunchAsync(Spec!, source, cancellationToken);
            return Redirect($"/sweeps/{Uri.EscapeDataString(record.Id)}");
        }
        catch (SweepSpecException)
        {
            return await OnPostCheckAsync(cancellationToken);
        }
        catch (ControlPlaneUnavailableException ex)
        {
            Message = ex.Message;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
    }

    /// <summary>The spec from the upload (if any) or the text box, within the size limit.</summary>
    /// <returns>The name to report problems under, or null (with <see cref="Message"/> set) when there is nothing usable.</returns>
    private async Task<string?> ReadAsync(CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxSpecBytes;
        var source = SweepLauncher.DefaultSourceName;
        if (Upload is { Length: > 0 } upload)
        {
            if (upload.Length > limit)
            {
                return TooLarge(limit);
            }

            using var reader = new StreamReader(upload.OpenReadStream());
            Spec = await reader.ReadToEndAsync(cancellationToken);
            source = SweepLauncher.SourceName(upload.FileName);
        }

        if (string.IsNullOrWhiteSpace(Spec))
        {
            Message = "Paste a spec or choose a file.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return null;
        }

        return System.Text.Encoding.UTF8.GetByteCount(Spec) > limit ? TooLarge(limit) : source;
    }

    private string? TooLarge(int limit)
    {
        Message = $"The spec is larger than {limit} bytes.";
        Spec = null;
        Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return null;
    }
}
