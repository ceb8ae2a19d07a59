using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace GradDescent.Dashboard.Extensions;

/// <summary>Declares the bearer API key in the OpenAPI document, so generated clients send it.</summary>
internal static class OpenApiSecurity
{
    public const string SchemeName = "apiKey";

    public static Task AddBearerKey(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "One of the dashboard's API keys (GradDescent__Dashboard__ApiKeys__0, ...); required by every state-changing endpoint.",
        };
        document.Info.Title = "GradDescent dashboard API";
        return Task.CompletedTask;
    }
}
