using static OrleansConfig.Testing.Items;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>
/// The changes a no-loss test sends: each writer owns a source and sends its steps one after another, retrying a
/// step until it is accepted. Every step is an upsert or a removal by key, so a step that landed before its reply
/// was lost can be sent again without changing the outcome; the final union is therefore known in advance.
/// </summary>
internal sealed class ChangePlan(int writers, int total, int keysPerWriter)
{
    public int Writers { get; } = writers;

    public int Total { get; } = total;

    /// <summary>The total split as evenly as it goes.</summary>
    public int StepsOf(int writer) => Total / Writers + (writer < Total % Writers ? 1 : 0);

    public static string SourceOf(int writer) => $"w{writer}";

    /// <summary>Step <paramref name="step"/> of a writer: mostly upserts with a new port, every fourth a removal.</summary>
    public ServiceUpdate Step(int step) => step % 4 == 3
        ? new ServiceUpdate(Operation.Remove, [Service(KeyName(step * 7))])
        : new ServiceUpdate(Operation.Add, [Service(KeyName(step), port: 1000 + step)]);

    /// <summary>The union of all writers' sources after every step, as <see cref="Identity"/> strings in order.</summary>
    public string[] FinalUnion()
    {
        List<string> all = [];
        for (var w = 0; w < Writers; w++)
        {
            var state = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var step = 0; step < StepsOf(w); step++)
            {
                var update = Step(step);
                foreach (var service in update.Services)
                {
                    if (update.Op == Operation.Add) state[service.Metadata.Name] = service.Spec.Ports[0].Port;
                    else state.Remove(service.Metadata.Name);
                }
            }
            all.AddRange(state.Select(kv => $"default/{kv.Key}@{SourceOf(w)}:{kv.Value}"));
        }
        return [.. all.Order(StringComparer.Ordinal)];
    }

    /// <summary>What is compared: key, source and content (the port), so a lost change of a value shows too.</summary>
    public static string Identity(Service service) =>
        $"{service.Metadata.Namespace}/{service.Metadata.Name}@{service.Source()}:{service.Spec.Ports[0].Port}";

    private string KeyName(int n) => $"s{n % keysPerWriter}";
}
