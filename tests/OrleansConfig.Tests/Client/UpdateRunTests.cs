using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Client;

public sealed class UpdateRunTests
{
    private static string[] Keys(UpdateRun<Service> run) => [.. run.Items().Select(s => $"{s.Key()}:{s.Spec.Ports[0].Port}")];

    [Fact]
    public void Adds_fold_into_one_add_with_the_latest_item_per_key()
    {
        var run = new UpdateRun<Service>(Operation.Add, [Service("a"), Service("b")]);

        Assert.True(run.TryFold(Operation.Add, [Service("a", 81), Service("c")]));

        Assert.Equal(Operation.Add, run.Op);
        Assert.Equal(["default/a:81", "default/b:80", "default/c:80"], Keys(run));
        Assert.Equal(2, run.Folded);
    }

    [Fact]
    public void Set_then_add_and_remove_is_one_set()
    {
        var run = new UpdateRun<Service>(Operation.Set, [Service("a"), Service("b")]);

        Assert.True(run.TryFold(Operation.Add, [Service("c")]));
        Assert.True(run.TryFold(Operation.Remove, [Service("a")]));

        Assert.Equal(Operation.Set, run.Op);
        Assert.Equal(["default/b:80", "default/c:80"], Keys(run));
    }

    [Fact]
    public void A_later_set_replaces_everything_before_it()
    {
        var run = new UpdateRun<Service>(Operation.Add, [Service("a")]);

        Assert.True(run.TryFold(Operation.Set, [Service("z")]));

        Assert.Equal(Operation.Set, run.Op);
        Assert.Equal(["default/z:80"], Keys(run));
    }

    [Theory]
    [InlineData(Operation.Add, Operation.Remove)]
    [InlineData(Operation.Remove, Operation.Add)]
    public void Add_and_remove_do_not_fold(Operation first, Operation next)
    {
        var run = new UpdateRun<Service>(first, [Service("a")]);

        Assert.False(run.TryFold(next, [Service("a")]));

        Assert.Equal(first, run.Op);
        Assert.Equal(1, run.Folded);
    }

    [Fact]
    public void Removes_fold_into_one_remove()
    {
        var run = new UpdateRun<Service>(Operation.Remove, [Service("a")]);

        Assert.True(run.TryFold(Operation.Remove, [Service("b"), Service("a")]));

        Assert.Equal(["default/a:80", "default/b:80"], Keys(run));
    }
}
