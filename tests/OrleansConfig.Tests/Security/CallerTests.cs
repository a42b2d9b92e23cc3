using Orleans.Runtime;
using OrleansConfig.Security;
using Xunit;

namespace OrleansConfig.Tests.Security;

public sealed class CallerTests
{
    [Fact]
    public void An_outside_client_is_a_client_id_that_is_not_a_silos_hosted_client()
    {
        Assert.True(AccessFilter.IsOutsideClient(GrainId.Parse("sys.client/8f1b2c3d4e5f")));
        Assert.False(AccessFilter.IsOutsideClient(GrainId.Parse("sys.client/hosted-127.0.0.1:11111@123456")));
        Assert.False(AccessFilter.IsOutsideClient(GrainId.Parse("sourcegrain/manual")));
        Assert.True(GatewayGate.IsHostedClient(GrainId.Parse("sys.client/hosted-127.0.0.1:11111@123456")));
    }
}
