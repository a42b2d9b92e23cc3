using OrleansConfig.Sources.File;
using Xunit;

namespace OrleansConfig.Tests.Sources;

public sealed class FileSourceOptionsValidatorTests
{
    private static readonly FileSourceOptionsValidator Validator = new("Sources:File");

    [Fact]
    public void A_missing_path_is_named_by_its_key()
    {
        var result = Validator.Validate(null, new FileSourceOptions { Path = "/nope" });

        Assert.True(result.Failed);
        Assert.Equal(["Sources:File:Path: directory or file \"/nope\" does not exist"], result.Failures);
    }

    [Fact]
    public void A_relative_missing_path_shows_where_it_was_looked_for()
    {
        var result = Validator.Validate(null, new FileSourceOptions { Path = "no-such-dir" });

        Assert.Contains($"(resolved to {Path.GetFullPath("no-such-dir")})", Assert.Single(result.Failures!));
    }

    [Fact]
    public void A_bad_name_and_periods_are_named_by_their_keys()
    {
        var result = Validator.Validate(null, new FileSourceOptions
        {
            Path = Path.GetTempPath(),
            Name = "Not_Valid",
            Debounce = TimeSpan.FromSeconds(-1),
            RescanPeriod = TimeSpan.Zero,
        });

        Assert.Collection(result.Failures!,
            f => Assert.StartsWith("Sources:File:Name: ", f),
            f => Assert.StartsWith("Sources:File:Debounce: ", f),
            f => Assert.StartsWith("Sources:File:RescanPeriod: ", f));
    }

    [Fact]
    public void An_existing_directory_or_file_with_defaults_is_valid()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.True(Validator.Validate(null, new FileSourceOptions { Path = Path.GetTempPath() }).Succeeded);
            Assert.True(Validator.Validate(null, new FileSourceOptions { Path = file }).Succeeded);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
