namespace GradDescent.Workers.Experiments.Adversarial.Victim;

/// <summary>
/// Finds labelled images in a folder laid out like Kaggle's "Dogs vs. Cats" (<c>cat.123.jpg</c>,
/// <c>dog.45.jpg</c>) or with <c>cat/</c> and <c>dog/</c> subfolders (names case-insensitive; both
/// layouts may be mixed).
/// </summary>
public static class LabelledImageFolder
{
    private static readonly HashSet<string> ImageExtensions =
        new([".jpg", ".jpeg", ".png", ".webp", ".bmp", ".gif"], StringComparer.OrdinalIgnoreCase);

    /// <returns>Image paths with their labels, sorted by path for a deterministic order.</returns>
    /// <exception cref="ArgumentException">The folder is missing or lacks images of either class.</exception>
    public static IReadOnlyList<(string Path, PetClass Label)> Scan(string folder)
    {
        var fullPath = Path.GetFullPath(folder);
        if (!Directory.Exists(fullPath))
        {
            throw new ArgumentException($"training folder '{fullPath}' does not exist", nameof(folder));
        }

        var found = new List<(string Path, PetClass Label)>();
        foreach (var file in Directory.EnumerateFiles(fullPath).Where(IsImage))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith("cat.", StringComparison.OrdinalIgnoreCase))
            {
                found.Add((file, PetClass.Cat));
            }
            else if (name.StartsWith("dog.", StringComparison.OrdinalIgnoreCase))
            {
                found.Add((file, PetClass.Dog));
            }
        }

        foreach (var directory in Directory.EnumerateDirectories(fullPath))
        {
            PetClass? label = Path.GetFileName(directory).ToLowerInvariant() switch
            {
                "cat" or "cats" => PetClass.Cat,
                "dog" or "dogs" => PetClass.Dog,
                _ => null,
            };
            if (label is { } known)
            {
                found.AddRange(Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Where(IsImage).Select(f => (f, known)));
            }
        }

        foreach (var pet in Enum.GetValues<PetClass>())
        {
            if (!found.Any(f => f.Label == pet))
            {
                var name = pet.ToString().ToLowerInvariant();
                throw new ArgumentException(
                    $"training folder '{fullPath}' has no {name} images (expected files named {name}.<n>.jpg or a {name}/ subfolder)", nameof(folder));
            }
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return found;
    }

    private static bool IsImage(string path) => ImageExtensions.Contains(Path.GetExtension(path));
}
