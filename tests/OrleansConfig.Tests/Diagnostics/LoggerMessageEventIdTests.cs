using System.Reflection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace OrleansConfig.Tests.Diagnostics;

/// <summary>Holds the logging style of docs/design.md: every log event has its own explicit id, in its project's range.</summary>
public sealed class LoggerMessageEventIdTests
{
    // The ranges docs/design.md ("Style") gives each product assembly.
    private static readonly (string Assembly, int First, int Last)[] Ranges =
    [
        ("OrleansConfig.Abstractions", 1, 99),
        ("OrleansConfig.Client", 100, 499),
        ("OrleansConfig.Proxy", 500, 999),
        ("OrleansConfig.Grains", 1000, 1999),
        ("OrleansConfig.Sources", 2000, 2999),
        ("OrleansConfig.Silo", 3000, 3999),
        ("orleans-config", 4000, 4999),
        ("OrleansConfig.ServiceDiscovery", 5000, 5999),
        ("OrleansConfig.Yarp", 6000, 6999),
    ];

    private static IEnumerable<(string Assembly, string Method, LoggerMessageAttribute Attribute)> LogMethods() =>
        from range in Ranges
        from type in Assembly.Load(range.Assembly).GetTypes()
        from method in type.GetMethods(
            BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        let attribute = method.GetCustomAttribute<LoggerMessageAttribute>()
        where attribute is not null
        select (range.Assembly, $"{type.FullName}.{method.Name}", attribute);

    [Fact]
    public void The_product_assemblies_log_through_LoggerMessage_methods()
    {
        // Guards the tests below against passing on nothing (say, an assembly renamed out of the list).
        Assert.All(
            new[] { "OrleansConfig.Client", "OrleansConfig.Proxy", "OrleansConfig.Grains", "OrleansConfig.Sources", "OrleansConfig.Silo", "OrleansConfig.Yarp" },
            assembly => Assert.Contains(LogMethods(), m => m.Assembly == assembly));
    }

    [Fact]
    public void Every_log_event_has_an_explicit_id()
    {
        Assert.Empty(LogMethods().Where(m => m.Attribute.EventId <= 0).Select(m => m.Method));
    }

    [Fact]
    public void No_two_log_events_share_an_id()
    {
        var shared = LogMethods()
            .GroupBy(m => m.Attribute.EventId)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}");
        Assert.Empty(shared);
    }

    [Fact]
    public void Each_log_event_id_is_in_its_projects_range()
    {
        var outside = from m in LogMethods()
                      let range = Ranges.Single(r => r.Assembly == m.Assembly)
                      where m.Attribute.EventId < range.First || m.Attribute.EventId > range.Last
                      select $"{m.Method}: {m.Attribute.EventId} is outside {range.First}-{range.Last}";
        Assert.Empty(outside);
    }
}
