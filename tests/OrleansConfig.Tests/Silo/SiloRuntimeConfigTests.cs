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
    public void Hot_code_is_optimized_without_waiting_for_startup_to_go_quiet()
    {
        // A restarting silo loads and serializes the whole union at once: its per-item code must not stay unoptimized.
        var properties = ConfigProperties();
        Assert.Equal(0, properties.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }

    [Fact]
    public void Server_gc_with_memory_conserved_stays()
    {
        var properties = ConfigProperties();
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(5, properties.GetProperty("System.GC.ConserveMemory").GetInt32());
    }
}
