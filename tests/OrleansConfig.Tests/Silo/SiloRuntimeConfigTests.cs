using System.Text.Json;
using Xunit;

namespace OrleansConfig.Tests.Silo;

/// <summary>The runtime settings the silo ships with (its runtimeconfig.json, copied beside this test assembly).</summary>
public sealed class SiloRuntimeConfigTests
{
    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "OrleansConfig.Silo.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void Tiered_compilation_keeps_the_runtime_defaults()
    {
        // Optimizing hot code at once (CallCountingDelayMs 0, no PGO tier) made the restart's rebuild 1.3 s shorter but
        // three silos starting together on two cores 4 s longer, compiling in the background: measured, the defaults win.
        var properties = ConfigProperties();
        Assert.False(properties.TryGetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs", out _));
        Assert.False(properties.TryGetProperty("System.Runtime.TieredPGO", out _));
    }

    [Fact]
    public void Server_gc_with_memory_conserved_stays()
    {
        var properties = ConfigProperties();
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(5, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }
}
