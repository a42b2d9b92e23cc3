using OrleansConfig.Client;
using Xunit;
using static OrleansConfig.Tests.State.TestItems;

namespace OrleansConfig.Tests.Client;

public sealed class UpdateRunTests
{
    private static string[] Keys(UpdateRun<Service> run) => [.. run.Items().Select(s => $"{s.Key()}:{s.Spec.Ports[0].Port}")];

    [Fact]
    public void Adds_fold_into_one_add_with_the_latest_item_per_key()
    {
        var run = new UpdateRun<Service>(Operation.Add, [Svc("a"), Svc("b")]);

        Assert.True(run.TryFold(Operation.Add, [Svc("a", 81), Svc("c")]));

        Assert.Equal(Operation.Add, run.Op);
        Assert.Equal(["default/a:81", "default/b:80", "default/c:80"], Keys(run));
        Assert.Equal(2, run.Folded);
    }

    [Fact]
    public void Set_then_add_and_remove_is_one_set()
    {
        var run = new UpdateRun<Service>(Operation.Set, [Svc("a"), Svc("b")]);

        Assert.True(run.TryFold(Operation.Add, [Svc("c")]));
        Assert.True(run.TryFold(Operation.Remove, [Svc("a")]));

        Assert.Equal(Operation.Set, run.Op);
        Assert.Equal(["default/b:80", "default/c:80"], Keys(run));
    }

    [Fact]
    public void A_later_set_replaces_everything_before_it()
    {
        var run = new UpdateRun<Service>(Operation.Add, [Svc("a")]);

        Assert.True(run.TryFold(Operation.Set, [Svc("z")]));

        Assert.Equal(Operation.Set, run.Op);
        Assert.Equal(["default/z:80"], Keys(run));
    }

    [Theory]
    [InlineData(Operation.Add, Operation.Remove)]
    [InlineData(Operation.Remove, Operation.Add)]
    public void Add_and_remove_do_not_fold(Operation first, Operation next)
    {
        var run = new UpdateRun<Service>(first, [Svc("a")]);

        Assert.False(run.TryFold(next, [Svc("a")]));

        Assert.Equal(first, run.Op);
        Assert.Equal(1, run.Folded);
    }

    [Fact]
    public void Removes_fold_into_one_remove()
    {
        var run = new UpdateRun<Service>(Operation.Remove, [Svc("a")]);

        Assert.True(run.TryFold(Operation.Remove, [Svc("b"), Svc("a")]));

        Assert.Equal(["default/a:80", "default/b:80"], Keys(run));
    }
}
