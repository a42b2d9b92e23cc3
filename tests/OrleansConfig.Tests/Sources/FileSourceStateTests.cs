using OrleansConfig.Sources.File;
using Xunit;
using static OrleansConfig.Testing.Items;
using static OrleansConfig.Tests.Sources.FileItems;

namespace OrleansConfig.Tests.Sources;

public sealed class FileSourceStateTests
{
    [Fact]
    public void Good_files_are_sent_as_one_synced_set_of_both_kinds()
    {
        var plan = new FileSourceState().Plan([Good("d/a.yaml", "web"), Good("d/b.json", "db")]);

        Assert.Empty(plan.Errors);
        Assert.Null(plan.ErrorSummary());
        Assert.True(plan.Update!.Synced);
        Assert.Equal(Operation.Set, plan.Update.Services!.Op);
        Assert.Equal(Operation.Set, plan.Update.Endpoints!.Op);
        Assert.Equal(["default/db", "default/web"], ServiceKeys(plan));
        Assert.Equal(["default/db", "default/web"], EndpointsKeys(plan));
    }

    [Fact]
    public void A_bad_file_keeps_its_last_good_content()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/a.yaml", "web"), Good("d/b.yaml", "db"));

        var plan = state.Plan([Good("d/a.yaml", "web"), Bad("d/b.yaml")]);

        Assert.Equal(["default/db", "default/web"], ServiceKeys(plan));
        Assert.Equal(["d/b.yaml: spec.ports[0].port: must be between 1 and 65535, got 70000"], plan.Errors);
    }

    [Fact]
    public void A_bad_file_does_not_hold_back_changes_in_the_other_files()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/a.yaml", "web"), Good("d/b.yaml", "db"));

        var plan = state.Plan([Good("d/a.yaml", "web", "api"), Bad("d/b.yaml")]);

        Assert.Equal(["default/api", "default/db", "default/web"], ServiceKeys(plan));
    }

    [Fact]
    public void A_file_that_was_never_good_contributes_nothing_and_the_rest_is_sent()
    {
        var plan = new FileSourceState().Plan([Good("d/a.yaml", "web"), Bad("d/new.yaml")]);

        Assert.Equal(["default/web"], ServiceKeys(plan));
        Assert.Single(plan.Errors);
        Assert.StartsWith("d/new.yaml: ", plan.Errors[0]);
    }

    [Fact]
    public void Bad_files_alone_never_send_a_set_of_nothing()
    {
        var plan = new FileSourceState().Plan([Bad("d/a.yaml"), FileRead.Bad("d/b.yaml", "is empty")]);

        Assert.Null(plan.Update);
        Assert.Equal(["d/a.yaml: spec.ports[0].port: must be between 1 and 65535, got 70000", "d/b.yaml: is empty"], plan.Errors);
        Assert.Equal("d/a.yaml: spec.ports[0].port: must be between 1 and 65535, got 70000; d/b.yaml: is empty", plan.ErrorSummary());
    }

    [Fact]
    public void When_the_bad_file_is_fixed_its_new_content_is_sent_without_errors()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/a.yaml", "web"));
        state.Accept(Bad("d/a.yaml"));

        var plan = state.Plan([Good("d/a.yaml", "web", "api")]);

        Assert.Empty(plan.Errors);
        Assert.Equal(["default/api", "default/web"], ServiceKeys(plan));
    }

    [Fact]
    public void Last_good_content_is_only_remembered_once_an_update_is_accepted()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/a.yaml", "web"));
        state.Plan([Good("d/a.yaml", "api")]); // not committed: the grain did not take it

        var plan = state.Plan([Bad("d/a.yaml")]);

        Assert.Equal(["default/web"], ServiceKeys(plan));
    }

    [Fact]
    public void A_removed_file_takes_its_items_away()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/a.yaml", "web"), Good("d/b.yaml", "db"));

        var plan = state.Plan([Good("d/a.yaml", "web")]);

        Assert.Equal(["default/web"], ServiceKeys(plan));
        Assert.False(plan.LastGood.ContainsKey("d/b.yaml"));
    }

    [Fact]
    public void Removing_every_file_clears_the_source()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/a.yaml", "web"));

        var plan = state.Plan([]);

        Assert.Empty(plan.Errors);
        Assert.Empty(ServiceKeys(plan));
        Assert.Empty(EndpointsKeys(plan));
    }

    [Fact]
    public void A_duplicate_across_files_names_both_files_and_stays_with_the_file_that_had_it()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/b.yaml", "web"), Good("d/a.yaml", "db"));

        // a.yaml (first by name) now also defines web, which b.yaml already served.
        var plan = state.Plan([Good("d/a.yaml", "db", "web"), Good("d/b.yaml", "web")]);

        Assert.Contains("d/a.yaml: service default/web is also defined in d/b.yaml", plan.Errors);
        Assert.Contains("d/a.yaml: endpoints default/web is also defined in d/b.yaml", plan.Errors);
        Assert.Equal(["default/db", "default/web"], ServiceKeys(plan));
        Assert.Equal(1, plan.Update!.Services!.Services.Count(s => s.Metadata.Name == "web"));
    }

    [Fact]
    public void A_duplicate_between_new_files_goes_to_the_first_file_by_name()
    {
        var plan = new FileSourceState().Plan([Good("d/b.yaml", "web", "api"), Good("d/a.yaml", "web")]);

        Assert.Contains("d/b.yaml: service default/web is also defined in d/a.yaml", plan.Errors);
        // b.yaml never had good content, so none of it is served until the clash is resolved.
        Assert.Equal(["default/web"], ServiceKeys(plan));
        Assert.False(plan.LastGood.ContainsKey("d/b.yaml"));
    }

    [Fact]
    public void A_file_defining_an_item_twice_is_bad()
    {
        var state = new FileSourceState();
        state.Accept(Good("d/a.yaml", "web"));
        var twice = FileRead.Good("d/a.yaml", new FileContent([Service("web"), Service("web", port: 81), Service("api")], []));

        var plan = state.Plan([twice]);

        Assert.Equal(["d/a.yaml: service default/web is defined more than once"], plan.Errors);
        Assert.Equal(["default/web"], ServiceKeys(plan));
    }

    [Fact]
    public void Namespaces_keep_items_apart_across_files()
    {
        var plan = new FileSourceState().Plan([
            FileRead.Good("d/a.yaml", new FileContent([Service("web", ns: "a")], [])),
            FileRead.Good("d/b.yaml", new FileContent([Service("web", ns: "b")], [])),
        ]);

        Assert.Empty(plan.Errors);
        Assert.Equal(["a/web", "b/web"], ServiceKeys(plan));
    }

    [Fact]
    public void The_error_summary_is_bounded()
    {
        var files = Enumerable.Range(0, 8).Select(i => Bad($"d/{i}.yaml")).ToArray();

        var summary = new FileSourceState().Plan(files).ErrorSummary(max: 5);

        Assert.EndsWith("; and 3 more", summary);
        Assert.Equal(5, summary!.Split("; d/").Length);
    }

    [Fact]
    public void Slice_files_send_their_slices_and_a_slice_in_two_files_stays_with_the_first()
    {
        const string Slice = """
            apiVersion: discovery.k8s.io/v1
            kind: EndpointSlice
            metadata: {name: web-1, namespace: shop, labels: {kubernetes.io/service-name: web}}
            addressType: IPv4
            endpoints: [{addresses: [10.0.0.1]}]
            ports: [{port: 80}]
            """;
        var state = new FileSourceState();

        var plan = state.Plan([ManifestFiles.Parse("d/a.yaml", Slice), ManifestFiles.Parse("d/b.yaml", Slice)]);

        Assert.Equal(Operation.Set, plan.Update!.EndpointSlices!.Op);
        Assert.Equal(["shop/web-1"], plan.Update.EndpointSlices.Slices.Select(s => s.Key().ToString()));
        Assert.Equal(["d/b.yaml: endpointslice shop/web-1 is also defined in d/a.yaml"], plan.Errors);
    }
}
