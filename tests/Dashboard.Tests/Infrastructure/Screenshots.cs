using Microsoft.Playwright;

namespace GradDescent.Dashboard.Tests.Infrastructure;

/// <summary>
/// Screenshots of the pages the browser tests visit: into <c>GRADDESCENT_SCREENSHOTS</c> when set (the docs are
/// refreshed with <c>GRADDESCENT_SCREENSHOTS=$PWD/docs/images ./tests/run-tests.sh tests/Dashboard.Tests</c>), else
/// into the test output folder.
/// </summary>
public static class Screenshots
{
    public static async Task TakeAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("GRADDESCENT_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, $"dashboard-{name}.png"), FullPage = true });
    }
}
