using Microsoft.Extensions.Options;

namespace OrleansConfig;

/// <summary>
/// Options of the YARP configuration provider (<c>AddReverseProxy().LoadFromOrleansConfig(o =&gt; ...)</c>), checked when
/// the host starts.
/// </summary>
public sealed class OrleansConfigProxyOptions
{
    /// <summary>A Service annotation: comma-separated hosts a route to the Service matches (<c>shop.example.com,*.shop.test</c>).</summary>
    public const string RouteHostsAnnotation = "orleans-config/route-hosts";

    /// <summary>A Service annotation: the path pattern a route to the Service matches (<c>/api/{**rest}</c>).</summary>
    public const string RoutePathAnnotation = "orleans-config/route-path";

    /// <summary>
    /// Which source's copy of a Service wins when several sources publish it: the first one listed here that has it,
    /// else the alphabetically first source (the catalog's rule, as the proxy's <c>--priority</c>).
    /// </summary>
    public IList<string> SourcePriority { get; set; } = [];

    /// <summary>
    /// When true, every Service also gets a route <c>/NAMESPACE/NAME/{**rest}</c> to its port named <c>http</c> (else its
    /// first TCP port) that removes the <c>/NAMESPACE/NAME</c> prefix before forwarding. Off by default.
    /// </summary>
    public bool ServicePathRoutes { get; set; }

    /// <summary>
    /// The YARP load balancing policy of every cluster: <c>RoundRobin</c> by default (the proxy's rule), or another of
    /// YARP's (<c>PowerOfTwoChoices</c>, <c>LeastRequests</c>, <c>Random</c>, <c>FirstAlphabetical</c>) or your own.
    /// </summary>
    public string LoadBalancingPolicy { get; set; } = "RoundRobin";
}

/// <summary>Checks <see cref="OrleansConfigProxyOptions"/>; each message names the option and the value.</summary>
internal sealed class OrleansConfigProxyOptionsValidator : IValidateOptions<OrleansConfigProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, OrleansConfigProxyOptions options)
    {
        List<string> errors = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var priority = options.SourcePriority ?? [];
        for (var i = 0; i < priority.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(priority[i])) errors.Add($"{nameof(options.SourcePriority)}[{i}]: must not be empty");
            else if (!seen.Add(priority[i])) errors.Add($"{nameof(options.SourcePriority)}[{i}]: duplicate source \"{priority[i]}\"");
        }
        if (string.IsNullOrWhiteSpace(options.LoadBalancingPolicy))
        {
            errors.Add($"{nameof(options.LoadBalancingPolicy)}: must name a policy, got \"{options.LoadBalancingPolicy}\"");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
