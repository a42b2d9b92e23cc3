using OrleansConfig.Silo.Http;
using Xunit;

namespace OrleansConfig.Tests.Http;

public sealed class SiloHttpOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid_and_allow_100_event_streams()
    {
        var options = new SiloHttpOptions();

        Assert.True(new SiloHttpOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(100, options.MaxEventStreamClients);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void MaxEventStreamClients_out_of_range_is_named(int max)
    {
        var result = new SiloHttpOptionsValidator().Validate(null, new SiloHttpOptions { MaxEventStreamClients = max });

        Assert.Equal([$"OrleansConfig:Http:MaxEventStreamClients: must be between 1 and 10000, got {max}"], result.Failures);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100_001)]
    public void MaxQueuedChanges_out_of_range_is_named(int max)
    {
        var result = new SiloHttpOptionsValidator().Validate(null, new SiloHttpOptions { MaxQueuedChanges = max });

        Assert.Equal([$"OrleansConfig:Http:MaxQueuedChanges: must be between 1 and 100000, got {max}"], result.Failures);
    }
}
