using GradDescent.Dashboard.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace GradDescent.Dashboard.Pages;

/// <summary>Every worker the dispatcher has seen: device, slots, busy slots, batches done, last heartbeat age.</summary>
public sealed class WorkersModel(WorkerService workers) : PageModel
{
    public IReadOnlyList<WorkerView> Workers { get; private set; } = [];

    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        try
        {
            Workers = await workers.ListAsync(cancellationToken);
        }
        catch (ControlPlaneUnavailableException ex)
        {
            Problem = ex.Message;
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        }
    }
}
