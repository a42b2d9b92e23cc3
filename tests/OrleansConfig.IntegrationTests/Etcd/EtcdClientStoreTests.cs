using System.Text;
using OrleansConfig.Sources.Etcd;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>
/// The etcd store against a real etcd when responses are larger than a gRPC message may be: a list is read in smaller
/// pages, and a watch catching up over many revisions takes etcd's fragments and puts them together.
/// </summary>
public sealed class EtcdClientStoreTests(EtcdServer etcd) : IClassFixture<EtcdServer>
{
    private const int ValueBytes = 100 * 1024;
    private const int Values = 30;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static EtcdClientStore Store(EtcdServer server, int maxResponseBytes) =>
        EtcdClientStore.Create(new EtcdSourceOptions { Endpoints = server.Endpoint, MaxResponseBytes = maxResponseBytes });

    private static string Value(int i) => $"{i:D3}:" + new string('v', ValueBytes);

    /// <summary>Puts <see cref="Values"/> values of 100 KiB under <paramref name="prefix"/>; returns the first put's revision.</summary>
    private async Task<long> PutValues(string prefix)
    {
        var first = 0L;
        for (var i = 0; i < Values; i++)
        {
            var revision = await etcd.PutAsync($"{prefix}/{i:D3}", Value(i));
            if (i == 0) first = revision;
        }
        return first;
    }

    [Fact]
    public async Task A_list_larger_than_a_response_may_be_is_read_in_smaller_pages_at_one_revision()
    {
        var prefix = $"/list-{Guid.NewGuid():N}";
        await PutValues(prefix);
        var last = await etcd.PutAsync("/other", "x");
        using var store = Store(etcd, maxResponseBytes: 1024 * 1024);

        // 3 MB under the prefix, a 1 MiB limit, and pages of 1,000 keys to start with.
        var range = await store.GetRangeAsync(prefix + "/", 0, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(Enumerable.Range(0, Values).Select(i => $"{prefix}/{i:D3}"), range.Items.Select(kv => kv.Key));
        Assert.All(range.Items, kv => Assert.Equal(Value(int.Parse(kv.Key[^3..])), Encoding.UTF8.GetString(kv.Value.Span)));
        Assert.Equal(last, range.Revision);
    }

    [Fact]
    public async Task A_watch_catching_up_over_more_than_a_response_may_be_gets_every_event()
    {
        var prefix = $"/watch-{Guid.NewGuid():N}";
        var first = await PutValues(prefix);
        using var store = Store(etcd, maxResponseBytes: 2 * 1024 * 1024);
        using var stop = new CancellationTokenSource(Timeout);

        // From the first put: etcd sends the 30 revisions (3 MB) at once, over the 2 MiB limit unless fragmented.
        List<EtcdEvent> events = [];
        await foreach (var response in store.WatchAsync(prefix + "/", first, stop.Token))
        {
            events.AddRange(response.Events);
            if (events.Count >= Values) break;
        }

        Assert.Equal(Enumerable.Range(0, Values).Select(i => $"{prefix}/{i:D3}"), events.Select(e => e.Key));
        Assert.Equal(Enumerable.Range(0, Values).Select(i => first + i), events.Select(e => e.ModRevision));
        Assert.All(events, e => Assert.Equal(ValueBytes + 4, e.Value.Length));
    }
}
