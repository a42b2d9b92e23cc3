namespace OrleansConfig.Sources.File;

/// <summary>Lists and reads the manifest files under a configured path: a file, or a directory's top-level
/// <c>.json</c>, <c>.yaml</c> and <c>.yml</c> files (hidden files are skipped).</summary>
internal sealed class ManifestFiles(string configuredPath, ManifestLimits? limits = null,
    FieldValidation fieldValidation = FieldValidation.Warn)
{
    private readonly ManifestLimits _limits = limits ?? ManifestLimits.Default;

    private static readonly string[] Extensions = [".json", ".yaml", ".yml"];

    public string FullPath { get; } = Path.GetFullPath(configuredPath);

    public bool IsDirectory => Directory.Exists(FullPath);

    /// <summary>Whether <paramref name="fileName"/> (in a watched directory) is a manifest file.</summary>
    public static bool IsManifestName(string fileName) =>
        !fileName.StartsWith('.') && Extensions.Contains(Path.GetExtension(fileName), StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads every manifest file now. Throws <see cref="IOException"/> when the path itself cannot be read.</summary>
    public async Task<IReadOnlyList<FileRead>> ReadAllAsync(CancellationToken cancellationToken)
    {
        if (System.IO.File.Exists(FullPath))
        {
            return [await ReadAsync(FullPath, configuredPath, cancellationToken)
                ?? FileRead.Bad(configuredPath, "was removed while being read")];
        }
        if (!Directory.Exists(FullPath))
        {
            throw new DirectoryNotFoundException($"directory or file \"{configuredPath}\" does not exist");
        }
        var paths = Directory.EnumerateFiles(FullPath, "*", SearchOption.TopDirectoryOnly)
            .Where(p => IsManifestName(Path.GetFileName(p)))
            .Order(StringComparer.Ordinal)
            .ToList();
        List<FileRead> reads = new(paths.Count);
        foreach (var path in paths)
        {
            // A file removed between listing and reading is simply gone.
            if (await ReadAsync(path, Path.Join(configuredPath, Path.GetFileName(path)), cancellationToken) is { } read) reads.Add(read);
        }
        return reads;
    }

    private async Task<FileRead?> ReadAsync(string path, string name, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            var length = new FileInfo(path).Length;
            // Refused unread: a file over the limit costs no memory.
            if (length > _limits.MaxBytes) return FileRead.Bad(name, $"is {length} bytes, larger than the {_limits.MaxBytes} allowed");
            text = await System.IO.File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return FileRead.Bad(name, $"cannot be read: {ex.Message}");
        }
        return Parse(name, text, _limits, fieldValidation);
    }

    /// <summary>Parses one file's text. An empty file counts as bad: it is most often one being rewritten.</summary>
    public static FileRead Parse(string name, string text, ManifestLimits? limits = null,
        FieldValidation fieldValidation = FieldValidation.Warn)
    {
        if (string.IsNullOrWhiteSpace(text)) return FileRead.Bad(name, "is empty");
        try
        {
            var manifest = Manifest.Parse(text, fieldValidation, limits);
            return FileRead.Good(name, new FileContent(manifest.Services, manifest.Endpoints)
            {
                EndpointSlices = manifest.EndpointSlices,
            }, manifest.Warnings);
        }
        catch (ManifestException ex)
        {
            return FileRead.Bad(name, ex.Errors);
        }
    }
}

/// <summary>One manifest file as read now: its content, or why it could not be used.</summary>
/// <param name="Name">The file as shown to people (the configured path joined with the file name).</param>
/// <param name="Content">What the file holds, when it could be read and parsed.</param>
/// <param name="Errors">Why it could not be used; empty when it could.</param>
internal sealed record FileRead(string Name, FileContent? Content, IReadOnlyList<FieldError> Errors)
{
    /// <summary>What a good file's parse warned of (<c>unknown field "spec.sessionAffinty"</c>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static FileRead Good(string name, FileContent content, IReadOnlyList<string>? warnings = null) =>
        new(name, content, []) { Warnings = warnings ?? [] };

    public static FileRead Bad(string name, IReadOnlyList<FieldError> errors) => new(name, null, errors);

    public static FileRead Bad(string name, string message) => new(name, null, [new FieldError("", message)]);
}
