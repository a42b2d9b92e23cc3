namespace OrleansConfig.Testing;

/// <summary>A temporary folder for the files a test hands to the CLI; deleted with everything in it.</summary>
public sealed class TempFolder(string prefix) : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    /// <summary>Writes <paramref name="text"/> to a new file named by a fresh id and <paramref name="suffix"/>.</summary>
    public string Write(string text, string suffix = ".yaml")
    {
        var path = System.IO.Path.Combine(Path, $"{Guid.NewGuid():N}{suffix}");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
