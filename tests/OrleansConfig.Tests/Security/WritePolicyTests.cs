using OrleansConfig.Security;
using Xunit;

namespace OrleansConfig.Tests.Security;

public sealed class WritePolicyTests
{
    private static readonly WritePolicy Policy = new(new AuthorizationOptions
    {
        Writers = new() { ["manual"] = "writer, ci", ["*"] = "any-writer" },
        Admins = "admin,ops",
    });

    [Theory]
    [InlineData("writer", "manual")]
    [InlineData("ci", "manual")]
    [InlineData("any-writer", "manual")]
    [InlineData("any-writer", "etcd")]
    [InlineData("admin", "manual")]
    [InlineData("ops", "anything")]
    public void Named_writers_any_source_writers_and_admins_may_write(string identity, string source) =>
        Assert.Null(Policy.CheckWrite(identity, source, force: false));

    [Theory]
    [InlineData("reader", "manual")]
    [InlineData("writer", "etcd")]
    [InlineData("Writer", "manual")]
    [InlineData("", "manual")]
    public void Everyone_else_is_refused_naming_identity_and_source(string identity, string source) =>
        Assert.Equal($"forbidden: {identity} may not write source {source}", Policy.CheckWrite(identity, source, force: false));

    [Fact]
    public void Only_an_admin_forces_a_replace()
    {
        Assert.Null(Policy.CheckWrite("admin", "manual", force: true));
        Assert.Equal("forbidden: writer may not force a replace of source manual (only an admin may)",
            Policy.CheckWrite("writer", "manual", force: true));
        Assert.Equal("forbidden: any-writer may not force a replace of source etcd (only an admin may)",
            Policy.CheckWrite("any-writer", "etcd", force: true));
        Assert.Equal("forbidden: reader may not write source manual", Policy.CheckWrite("reader", "manual", force: true));
    }

    [Fact]
    public void Only_an_admin_removes_a_source()
    {
        Assert.Null(Policy.CheckRemove("ops", "manual"));
        Assert.Equal("forbidden: any-writer may not remove source manual (only an admin may)", Policy.CheckRemove("any-writer", "manual"));
    }

    [Fact]
    public void With_nothing_configured_nobody_may_write()
    {
        var empty = new WritePolicy(new AuthorizationOptions());

        Assert.Equal("forbidden: admin may not write source manual", empty.CheckWrite("admin", "manual", force: false));
        Assert.False(empty.IsAdmin("admin"));
    }
}
