using System.Text;
using OrleansConfig.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

/// <summary>Unknown fields in etcd values: taken with a warning per key by default, skipped as bad when strict.</summary>
public sealed class EtcdFieldValidationTests
{
    private const string Services = "/registry/services/specs/";
    private const string Typo =
        """{"kind":"Service","metadata":{"name":"web"},"spec":{"sessionAffinty":"ClientIP","ports":[{"port":80}]}}""";

    private static EtcdKeyValue Kv(string key, string value, long revision) => new(key, Encoding.UTF8.GetBytes(value), revision);

    [Fact]
    public void A_value_with_unknown_fields_is_taken_and_its_key_warns_until_it_is_fixed_or_deleted()
    {
        var builder = new EtcdUpdateBuilder(new EtcdKeyLayout("/registry/services"));

        var batch = builder.FromEvents([EtcdEvent.Put(Services + "a/web", Typo, 5)], after: 0);

        Assert.Equal(Operation.Add, batch.Revisions.Single().Updates.Single().Services!.Op);
        Assert.Empty(batch.BadValues);
        Assert.True(builder.WarningsChanged);
        Assert.Equal("/registry/services/specs/a/web: unknown field \"spec.sessionAffinty\"", builder.WarningSummary());
        Assert.Equal([(Services + "a/web", "unknown field \"spec.sessionAffinty\"")], builder.NewWarnings);

        builder.WarningsChanged = false;
        builder.FromEvents([EtcdEvent.Put(Services + "a/web", EtcdJson.Service("web"), 6)], after: 5);
        Assert.True(builder.WarningsChanged);
        Assert.Null(builder.WarningSummary());

        builder.FromEvents([EtcdEvent.Put(Services + "a/web", Typo, 7)], after: 6);
        builder.WarningsChanged = false;
        builder.FromEvents([EtcdEvent.Delete(Services + "a/web", 8)], after: 7);
        Assert.True(builder.WarningsChanged);
        Assert.Null(builder.WarningSummary());
    }

    [Fact]
    public void A_list_rebuilds_the_warnings_and_asks_for_them_to_be_shown_again()
    {
        var builder = new EtcdUpdateBuilder(new EtcdKeyLayout("/registry/services"));

        var listing =
            builder.FromList(new EtcdRange([Kv(Services + "a/web", Typo, 3), Kv(Services + "a/db", EtcdJson.Service("db"), 4)], 9),
            new EtcdRange([], 9));

        Assert.Equal(2, listing.Update.Services!.Services.Count);
        Assert.True(builder.WarningsChanged);
        Assert.Equal("/registry/services/specs/a/web: unknown field \"spec.sessionAffinty\"", builder.WarningSummary());
    }

    [Fact]
    public void Strict_skips_a_value_with_unknown_fields_as_bad_naming_the_field()
    {
        var builder = new EtcdUpdateBuilder(new EtcdKeyLayout("/registry/services"), fieldValidation: FieldValidation.Strict);

        var batch = builder.FromEvents([EtcdEvent.Put(Services + "a/web", Typo, 5)], after: 0);

        Assert.Equal(Operation.Remove, batch.Revisions.Single().Updates.Single().Services!.Op);
        Assert.Equal("spec.sessionAffinty: unknown field", Assert.Single(batch.BadValues).Reason);
        Assert.False(builder.WarningsChanged);
        Assert.Null(builder.WarningSummary());
    }

    [Fact]
    public void Ignore_takes_the_value_without_a_warning()
    {
        var builder = new EtcdUpdateBuilder(new EtcdKeyLayout("/registry/services"), fieldValidation: FieldValidation.Ignore);

        builder.FromEvents([EtcdEvent.Put(Services + "a/web", Typo, 5)], after: 0);

        Assert.False(builder.WarningsChanged);
        Assert.Null(builder.WarningSummary());
    }
}
