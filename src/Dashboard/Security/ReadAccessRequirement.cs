using GradDescent.Dashboard.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace GradDescent.Dashboard.Security;

/// <summary>Reading is open unless <see cref="DashboardOptions.RequireKeyToRead"/>; then a key (bearer or sign-in) is needed.</summary>
public sealed class ReadAccessRequirement : IAuthorizationRequirement;

public sealed class ReadAccessHandler(IOptionsMonitor<DashboardOptions> options) : AuthorizationHandler<ReadAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadAccessRequirement requirement)
    {
        if (!options.CurrentValue.RequireKeyToRead || context.User.HasClaim(c => c.Type == DashboardAuth.KeyClaim))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
