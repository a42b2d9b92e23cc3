using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansConfig.Silo;
using Xunit;

namespace OrleansConfig.Tests.Silo;

public sealed class SourceLifetimeSettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static IReadOnlyList<string> Failures(params (string Key, string Value)[] values)
    {
        var configuration = Config(values);
        var errors = SourceLifetimeSettings.Check(configuration);
        if (errors.Count > 0) return errors;
        var options = new SourceLifetimeOptions();
        SourceLifetimeSettings.Bind(configuration.GetSection(SourceLifetimeOptions.SectionName), options);
        var result = new SourceLifetimeOptionsValidator().Validate(null, options);
        return result.Failed ? [.. result.Failures] : [];
    }

    [Fact]
    public void Good_settings_bind_the_default_and_each_source()
    {
        var configuration = Config(
            ("OrleansConfig:Sources:StaleAfter", "00:02:00"),
            ("OrleansConfig:Sources:etcd:StaleAfter", "00:00:30"),
            ("OrleansConfig:Sources:etcd:DropAfter", "00:10:00"),
            ("OrleansConfig:Sources:StaleAfter:DropAfter", "01:00:00"));
        Assert.Empty(SourceLifetimeSettings.Check(configuration));
        var services = new ServiceCollection();
        SourceLifetimeSettings.Apply(services, configuration);
        var options = services.BuildServiceProvider().GetRequiredService<IOptions<SourceLifetimeOptions>>().Value;

        Assert.Equal(TimeSpan.FromMinutes(2), options.StaleAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), options.For("etcd").StaleAfter);
        Assert.Equal(TimeSpan.FromMinutes(10), options.For("etcd").DropAfter);
        // A source named like the default key: its section sits under that key.
        Assert.Equal(TimeSpan.FromHours(1), options.For("staleafter").DropAfter);
        Assert.Equal(TimeSpan.FromMinutes(2), options.For("staleafter").StaleAfter);
        Assert.Null(options.For("file").DropAfter);
    }

    [Fact]
    public void Nothing_set_is_valid_and_off()
    {
        Assert.Empty(Failures());
        Assert.False(new global::OrleansConfig.State.SourceLiveness(new SourceLifetimeOptions().For("file")).Enabled);
    }

    [Fact]
    public void A_zero_or_negative_duration_is_refused_naming_its_key()
    {
        Assert.Equal(["OrleansConfig:Sources:StaleAfter: must be positive (leave it unset for never), got 00:00:00"],
            Failures(("OrleansConfig:Sources:StaleAfter", "00:00:00")));
        Assert.Equal(["OrleansConfig:Sources:etcd:DropAfter: must be positive (leave it unset for never), got -00:01:00"],
            Failures(("OrleansConfig:Sources:etcd:DropAfter", "-00:01:00")));
    }

    [Fact]
    public void A_DropAfter_shorter_than_the_StaleAfter_that_applies_is_refused_naming_its_key()
    {
        Assert.Equal(["OrleansConfig:Sources:etcd:DropAfter: must not be shorter than the source's StaleAfter (00:05:00), got 00:01:00"],
            Failures(("OrleansConfig:Sources:etcd:StaleAfter", "00:05:00"), ("OrleansConfig:Sources:etcd:DropAfter", "00:01:00")));
        Assert.Equal(["OrleansConfig:Sources:api:DropAfter: must not be shorter than the source's StaleAfter (00:05:00), got 00:01:00"],
            Failures(("OrleansConfig:Sources:StaleAfter", "00:05:00"), ("OrleansConfig:Sources:api:DropAfter", "00:01:00")));
    }

    [Fact]
    public void A_value_that_is_not_a_duration_or_an_unknown_key_is_refused_naming_it()
    {
        // In key order, as configuration lists its children.
        Assert.Equal(
            [
                "OrleansConfig:Sources:DropAfter: DropAfter is set per source only (OrleansConfig:Sources:NAME:DropAfter)",
                "OrleansConfig:Sources:etcd:StaleAftr: unknown setting (StaleAfter, DropAfter)",
                "OrleansConfig:Sources:StaleAfter: must be a duration such as 00:05:00, got \"5m\"",
            ],
            Failures(("OrleansConfig:Sources:StaleAfter", "5m"), ("OrleansConfig:Sources:DropAfter", "00:05:00"), ("OrleansConfig:Sources:etcd:StaleAftr", "00:05:00")));
    }
}
