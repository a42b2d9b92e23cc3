using Orleans.Runtime;
using OrleansConfig.Streaming;
using Xunit;

namespace OrleansConfig.Tests.Streaming;

public sealed class DroppedClientSubscriptionsTests
{
    [Fact]
    public void A_client_stream_consumer_belongs_to_the_client_named_before_the_plus()
    {
        var consumer = GrainId.Parse("sys.client/196c881147b548bd9753f913c060ab11+163ac70e202d46ab8e400561bc3e330d");

        Assert.Equal(GrainId.Parse("sys.client/196c881147b548bd9753f913c060ab11"), DroppedClientSubscriptions.ClientOf(consumer));
    }

    [Fact]
    public void A_client_is_its_own_client_and_a_grain_is_no_client()
    {
        var client = GrainId.Parse("sys.client/196c881147b548bd9753f913c060ab11");

        Assert.Equal(client, DroppedClientSubscriptions.ClientOf(client));
        Assert.Null(DroppedClientSubscriptions.ClientOf(GrainId.Parse("aggregator/0")));
    }
}
