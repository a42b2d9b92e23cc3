using Microsoft.Extensions.Hosting;

namespace OrleansConfig.Cli.Connection;

/// <summary>The client host's lifetime is the command's: Ctrl+C and SIGTERM reach the command's cancellation token, not the host.</summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
