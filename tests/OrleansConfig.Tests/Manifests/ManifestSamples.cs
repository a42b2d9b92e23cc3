using System.Runtime.CompilerServices;

namespace OrleansConfig.Tests.Manifests;

/// <summary>Reads the checked-in samples (real kubectl output among them) from the source tree.</summary>
internal static class ManifestSamples
{
    private static readonly string SamplesDirectory = Path.Combine(Path.GetDirectoryName(SourceFile())!, "..", "TestData", "Manifests");

    public static string Read(string name) => File.ReadAllText(Path.Combine(SamplesDirectory, name));

    public static ValueMap Map(params (string Key, string Value)[] pairs) =>
        ValueMap.From(pairs.Select(pair => KeyValuePair.Create(pair.Key, pair.Value)));

    // The test project does not copy data files to its output, so they are found next to this source file.
    private static string SourceFile([CallerFilePath] string path = "") => path;
}
