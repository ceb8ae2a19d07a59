using System.Collections;
using System.Reflection;

namespace GradDescent.Deploy.Tests.Infrastructure;

/// <summary>
/// The environment variables a GradDescent container may be given, read from the product itself: every public
/// options class of the GradDescent assemblies the CLI is built from (a class with a public constant
/// <c>Section</c> such as <c>"GradDescent:Worker"</c>) contributes one key per bindable property
/// (<c>GradDescent__Worker__Slots</c>), nested options classes their own keys, and collections a prefix for
/// indexed keys (<c>GradDescent__Dashboard__ApiKeys__0</c>). A renamed or removed option therefore fails the
/// environment tests. Besides these: what Kubernetes and Orleans' Kubernetes hosting read, and the keys of
/// work that has not landed on main yet (<see cref="Pending"/>).
/// </summary>
public static class ConfigurationKeys
{
    /// <summary>The downward-API and Orleans identity variables Orleans' Kubernetes hosting (KubernetesHostingOptions) reads.</summary>
    public static IReadOnlySet<string> Kubernetes { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "POD_NAME", "POD_NAMESPACE", "POD_IP", "ORLEANS_SERVICE_ID", "ORLEANS_CLUSTER_ID",
    };

    /// <summary>
    /// Keys the manifests use whose options classes are not on main yet. A test fails once one of them is derived from
    /// an options class, so each is removed from here when its code lands (the dashboard's GradDescent__Dashboard__*,
    /// the cluster TLS keys GradDescent__Cluster__Tls__* and GradDescent__Files__Roots__ all come from options classes).
    /// </summary>
    public static IReadOnlyList<string> Pending { get; } =
    [
    ];

    /// <summary>The options classes found (public, with a public constant <c>Section</c> under <c>GradDescent:</c>).</summary>
    public static IReadOnlyList<Type> OptionsTypes { get; } = FindOptionsTypes();

    /// <summary>Keys of scalar settings, e.g. <c>GradDescent__Telemetry__Port</c>.</summary>
    public static IReadOnlySet<string> Exact => Derived.Value.Exact;

    /// <summary>Prefixes of indexed settings (collections), e.g. <c>GradDescent__Dashboard__ApiKeys__</c>.</summary>
    public static IReadOnlySet<string> Prefixes => Derived.Value.Prefixes;

    private static readonly Lazy<(HashSet<string> Exact, HashSet<string> Prefixes)> Derived = new(Derive);

    public static bool IsKnown(string name) =>
        Kubernetes.Contains(name)
        || Exact.Contains(name)
        || Prefixes.Concat(Pending).Any(p => p.EndsWith("__", StringComparison.Ordinal) ? name.StartsWith(p, StringComparison.Ordinal) && name.Length > p.Length : name == p);

    private static (HashSet<string> Exact, HashSet<string> Prefixes) Derive()
    {
        var exact = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in OptionsTypes)
        {
            AddKeys(type, ((string)type.GetField("Section")!.GetValue(null)!).Replace(":", "__", StringComparison.Ordinal), exact, prefixes);
        }

        return (exact, prefixes);
    }

    private static List<Type> FindOptionsTypes()
    {
        var folder = AppContext.BaseDirectory;
        return
        [
            .. Directory.GetFiles(folder, "GradDescent.*.dll")
                .Where(f => !Path.GetFileName(f).StartsWith("GradDescent.Deploy.", StringComparison.Ordinal))
                .Select(f => Assembly.LoadFrom(f))
                .SelectMany(a => a.GetExportedTypes())
                .Where(t => t.IsClass && t.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
                    && field.GetValue(null) is string section && section.StartsWith("GradDescent:", StringComparison.Ordinal))
                .OrderBy(t => t.FullName, StringComparer.Ordinal),
        ];
    }

    /// <summary>The keys the configuration binder reads for <paramref name="type"/>'s properties under <paramref name="prefix"/>.</summary>
    private static void AddKeys(Type type, string prefix, HashSet<string> exact, HashSet<string> prefixes)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var propertyType = property.PropertyType;
            var isCollection = propertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(propertyType);
            if (property.GetIndexParameters().Length > 0 || (property.SetMethod?.IsPublic != true && !isCollection))
            {
                continue;
            }

            var key = $"{prefix}__{KeyName(property)}";
            if (isCollection)
            {
                prefixes.Add($"{key}__");
            }
            else if (IsNestedOptions(propertyType))
            {
                AddKeys(propertyType, key, exact, prefixes);
            }
            else
            {
                exact.Add(key);
            }
        }
    }

    /// <summary>The property's name, or the one [ConfigurationKeyName] gives it.</summary>
    private static string KeyName(PropertyInfo property) =>
        property.CustomAttributes.FirstOrDefault(a => a.AttributeType.Name == "ConfigurationKeyNameAttribute") is { } renamed
            ? (string)renamed.ConstructorArguments[0].Value!
            : property.Name;

    private static bool IsNestedOptions(Type type) =>
        type.IsClass && type != typeof(string) && type.Assembly.GetName().Name?.StartsWith("GradDescent.", StringComparison.Ordinal) == true;
}
