using GradDescent.Dashboard.Services;

namespace GradDescent.Dashboard.Pages;

/// <summary>What the pause/resume/cancel buttons of one sweep need to render.</summary>
public sealed record SweepActionsModel(SweepView Sweep, bool Enabled, bool SignedIn, string ReturnUrl);
