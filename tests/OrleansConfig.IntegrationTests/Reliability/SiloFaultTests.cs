using OrleansConfig.IntegrationTests.Cluster;
using OrleansConfig.Streaming;
using Xunit.Abstractions;
using static OrleansConfig.IntegrationTests.Reliability.FaultCluster;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// Faults of a real deployment: three silo processes on loopback with Redis clustering and storage, writers and
/// subscribers (ServiceConfig and EndpointsConfig) in the test process on different gateways. In each case every change
/// the cluster accepted ends up in the union, every subscriber ends at exactly that union, and the time it took is
/// reported in the test's output (the line with "convergence,").
/// </summary>
[Collection(MultiSiloCollection.Name)]
public sealed class SiloFaultTests(ITestOutputHelper output) : IAsyncLifetime
{
    // xUnit fails a test that runs longer (it can, as parallelization is off in this collection); disposal then kills the processes.
    private const int TimeoutMilliseconds = 150_000;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(120);

    private FaultCluster? _fault;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_fault is not null) await _fault.DisposeAsync();
    }

    /// <summary>A fresh Redis and three silos for this test, after <paramref name="prepare"/>; all killed when the test ends.</summary>
    private async Task<FaultCluster> StartAsync(Action<FaultCluster>? prepare = null, bool tls = false)
    {
        _fault = FaultCluster.Create(output, tls);
        prepare?.Invoke(_fault);
        await _fault.StartAsync();
        return _fault;
    }

    /// <param name="tls">Also with mutual TLS and authorization: writers as a writer of every source, the observer as admin.</param>
    [Theory(Timeout = TimeoutMilliseconds)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sigkill_of_a_silo_hosting_a_source_while_it_is_written_loses_no_accepted_change_and_every_subscriber_ends_at_the_exact_union(bool tls)
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var ct = timeout.Token;
        var f = await StartAsync(tls: tls);
        var observer = await f.ClientThroughRedisAsync();

        // The aggregator wherever placement puts it; the source on another silo, the victim.
        await f.AnswerAsync(() => observer.Client.GetAggregator().GetVersion(), "the aggregator");
        var aggregatorSilo =
            await f.SiloOf(observer.Client, observer.Client.GetAggregator())
            ?? throw new InvalidOperationException("the aggregator is not active");
        var victim = (aggregatorSilo + 1) % 3;
        const string target = "src";
        await f.PlaceAsync(observer.Client, victim, observer.Client.GetSource(target), () =>
            f.Writer(observer, target, seed: 99)
                .ApplyAsync(new ModelOperation(target, Endpoints: true, Operation.Add, [("x", "n0", 1)], Restart: false), ct));
        var spare = 3 - victim - aggregatorSilo;

        // Writers on the survivors' gateways; subscribers on all three (the victim's with a survivor's to fail over to).
        var atAggregator = await f.ClientAsync(f.Gateway(aggregatorSilo));
        var atSpare = await f.ClientAsync(f.Gateway(spare));
        Subscriber[] subscribers =
        [
            f.Subscribe($"subscriber on gateway {aggregatorSilo}", await f.ClientAsync(f.Gateway(aggregatorSilo))),
            f.Subscribe($"subscriber on gateway {spare}", await f.ClientAsync(f.Gateway(spare))),
            f.Subscribe($"subscriber on gateways {victim} (killed) and {spare}", await f.ClientAsync(f.Gateway(victim), f.Gateway(spare))),
        ];
        await Task.WhenAll(subscribers.Select(s => s.WaitForSyncAsync(StepTimeout)));

        // The victim's source holds a snapshot (a big Set is stored as one) and then a journal of changes.
        var targetWriter = f.Writer(atAggregator, target, seed: 100, sets: false);
        await targetWriter.ApplyAsync(targetWriter.BigSet(1100), ct);
        ModelWriter[] writers = [targetWriter, f.Writer(atSpare, "wa", seed: 101), f.Writer(atAggregator, "wb", seed: 102)];
        var stop = false;
        var writing = Task.WhenAll(writers.Select(w => Task.Run(() => w.RunAsync(() => Volatile.Read(ref stop), ct), ct)));
        string State() => string.Join("\n", writers.Select(w => w.ToString()));

        await f.UntilAsync(() => targetWriter.Accepted >= 40 || writing.IsCompleted, $"{target} to take 40 changes", State);
        var acceptedAtKill = writers.Select(w => w.Accepted).ToArray();
        await f.Cluster.KillAsync(victim);
        var killedAt = f.Clock.Elapsed;
        f.Report(
            $"killed silo {victim}, host of source {target} (the aggregator is on silo {aggregatorSilo}) after {acceptedAtKill[0]} of " +
            $"its changes");

        // Each writer goes on until 30 more of its changes are accepted, the killed source's once it is back on a survivor.
        await f.UntilAsync(() => writers.Select((w, i) => w.Accepted >= acceptedAtKill[i] + 30).All(done => done) || writing.IsCompleted,
            "every writer to have 30 changes accepted after the kill", State);
        Volatile.Write(ref stop, true);
        await writing.WaitAsync(StepTimeout, ct);
        var lastWrite = writers.Max(w => w.LastAcceptedAt);
        var backAt =
            targetWriter.FirstAcceptedAfter(killedAt)
            ?? throw new InvalidOperationException("the killed source took no change after the kill");

        var converged = await f.ConvergeAsync(subscribers, observer.Client);
        var nowOn = await f.SiloOf(observer.Client, observer.Client.GetSource(target));
        Assert.True(nowOn is { } silo && silo != victim, $"{target} should live on a survivor now, but is on {nowOn}");

        foreach (var writer in writers) f.Report(writer.ToString());
        foreach (var (name, at) in converged.OrderBy(c => c.Value))
        {
            f.Report($"{name}: exact union {Seconds(at - lastWrite)} after the last write");
        }
        f.Report(
            $"convergence, a source's silo SIGKILLed: {target} took changes again {Seconds(backAt - killedAt)} after the kill (on silo " +
            $"{nowOn}); " +
                 $"every subscriber at the exact union {Seconds(converged.Values.Max() - lastWrite)} after the last write, " +
                     $"{Seconds(converged.Values.Max() - killedAt)} after the kill");
    }

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task Sigkill_of_the_silo_hosting_the_union_queue_loses_deltas_and_every_subscriber_notices_and_resyncs_to_the_exact_union()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var ct = timeout.Token;
        var f = await StartAsync();
        var observer = await f.ClientThroughRedisAsync();
        var management = observer.Client.GetGrain<IManagementGrain>(0);
        var aggregator = observer.Client.GetAggregator();

        // The union stream's one queue: a single activation in the cluster, under the key every silo computes.
        var queue = observer.Client.GetGrain<IUnionQueueGrain>(UnionQueueAdapterFactory.QueueKey(UnionStream.ProviderName, UnionStream.Id));
        var queues =
            await f.AnswerAsync(() => management.GetActiveGrains(GrainType.Create("unionqueue")).AsTask(), "the union queue's activations");
        Assert.Equal([queue.GetGrainId()], queues);

        // The queue must live apart from the aggregator (killing the aggregator's silo is NoLossTests' case). The pulling
        // agent keeps the queue active from the start; the aggregator is placed when first called: on another silo.
        var queueSilo = await WhereAsync(queue);
        var aggregatorSilo = (queueSilo + 1) % 3;
        await f.PlaceAsync(observer.Client, aggregatorSilo, aggregator, () => aggregator.GetVersion());
        TestClient[] at = [await f.ClientAsync(f.Gateway(0)), await f.ClientAsync(f.Gateway(1)), await f.ClientAsync(f.Gateway(2))];
        Assert.Equal(queueSilo, await WhereAsync(queue));
        var spare = 3 - queueSilo - aggregatorSilo;

        var (atAggregator, atSpare) = (at[aggregatorSilo], at[spare]);
        Subscriber[] subscribers =
        [
            f.Subscribe($"subscriber on gateway {aggregatorSilo}", await f.ClientAsync(f.Gateway(aggregatorSilo))),
            f.Subscribe($"subscriber on gateway {spare}", await f.ClientAsync(f.Gateway(spare))),
            f.Subscribe($"subscriber on gateways {queueSilo} (killed) and {spare}",
                await f.ClientAsync(f.Gateway(queueSilo), f.Gateway(spare))),
        ];
        await Task.WhenAll(subscribers.Select(s => s.WaitForSyncAsync(StepTimeout)));

        // The sources live off the queue's silo too, so every change goes through the aggregator to the queue.
        ModelWriter[] writers =
            [f.Writer(atAggregator, "wa", seed: 201), f.Writer(atSpare, "wb", seed: 202), f.Writer(atAggregator, "wc", seed: 203)];
        foreach (var (writer, silo) in new[] { (writers[0], aggregatorSilo), (writers[1], spare), (writers[2], aggregatorSilo) })
        {
            await f.PlaceAsync(observer.Client, silo, observer.Client.GetSource(writer.Source), () =>
                writer.ApplyAsync(new ModelOperation(writer.Source, Endpoints: false, Operation.Add, [("x", "n0", 1)], Restart: false),
                    ct));
        }
        var stop = false;
        var writing = Task.WhenAll(writers.Select(w => Task.Run(() => w.RunAsync(() => Volatile.Read(ref stop), ct), ct)));
        string State() =>
            string.Join("\n",
            [.. writers.Select(w => w.ToString()), .. subscribers.Select(s => $"{s.Name}: {s.Resyncs} resyncs, at {s.Versions}")]);

        // Deltas flow through the queue before the fault.
        await f.UntilAsync(() => writers.Sum(w => w.Accepted) >= 150 || writing.IsCompleted, "150 changes", State);
        var resyncsAtKill = subscribers.Select(s => s.Resyncs).ToArray();
        var acceptedAtKill = writers.Select(w => w.Accepted).ToArray();
        var versionAtKill = await f.AnswerAsync(() => aggregator.GetVersion(), "the aggregator's version");

        // Freeze the silo first, so that deltas are certainly on their way to the queue when it dies: the aggregator sends
        // the next one to the frozen queue and waits for its answer (and so answers nothing else) until the silo is gone.
        await f.Cluster.FreezeAsync(queueSilo);
        var frozenAt = f.Clock.Elapsed;
        await f.GetAsync(async () =>
        {
            try
            {
                // Not GetVersion: it interleaves with a change in progress.
                await atAggregator.Client.GetAggregator().GetSources().WaitAsync(TimeSpan.FromSeconds(1), ct);
                return false;
            }
            catch (TimeoutException)
            {
                return true;
            }
        }, stuck => stuck, "the aggregator to wait on the frozen queue");
        await f.Cluster.KillAsync(queueSilo);
        var killedAt = f.Clock.Elapsed;
        f.Report(
            $"froze silo {queueSilo}, host of the union queue (the aggregator is on silo {aggregatorSilo}), at union version " +
            $"{versionAtKill.Version}; " +
                 $"killed it {Seconds(killedAt - frozenAt)} later, with the aggregator waiting on the queue");

        await f.UntilAsync(() => writers.Select((w, i) => w.Accepted >= acceptedAtKill[i] + 30).All(done => done) || writing.IsCompleted,
            "every writer to have 30 changes accepted after the kill", State);
        Volatile.Write(ref stop, true);
        await writing.WaitAsync(StepTimeout, ct);
        var lastWrite = writers.Max(w => w.LastAcceptedAt);

        var converged = await f.ConvergeAsync(subscribers, observer.Client);
        var queueNowOn = await WhereAsync(queue);
        var versionNow = await f.AnswerAsync(() => aggregator.GetVersion(), "the aggregator's version");
        Assert.NotEqual(queueSilo, queueNowOn);
        // Deltas were lost with the queue, and every subscriber found out (a gap or a version probe) and took a snapshot.
        // The aggregator ran on through it: its directory entry is in Redis, so the dead silo's directory partition took
        // nothing of it (with Orleans' in-cluster directory it was deactivated in about half the runs, and came back
        // under a new epoch).
        var lost = CountLines(f.Cluster.Describe(100_000), "could not be published");
        Assert.True(versionNow.Epoch == versionAtKill.Epoch, $"the aggregator took a new epoch: {versionAtKill} -> {versionNow}");
        Assert.True(lost >= 1, "no publish failed: the queue's silo died with nothing on its way to it");
        for (var i = 0; i < subscribers.Length; i++)
        {
            Assert.True(subscribers[i].Resyncs > resyncsAtKill[i],
                $"{subscribers[i].Name} never resynced after the queue's silo died\n{State()}\n{subscribers[i].Client.Log}");
        }

        foreach (var writer in writers) f.Report(writer.ToString());
        foreach (var subscriber in subscribers)
        {
            f.Report(
                $"{subscriber.Name}: {subscriber.Resyncs - resyncsAtKill[Array.IndexOf(subscribers, subscriber)]} resyncs after the " +
                $"kill; exact union {Seconds(converged[subscriber.Name] - lastWrite)} after the last write");
        }
        f.Report(
            $"convergence, the union queue's silo SIGKILLed: the queue came back on silo {queueNowOn}; the aggregator kept its epoch; " +
            $"{lost} publish(es) failed; union version {versionAtKill.Version} -> {versionNow.Version}; " +
                 $"every subscriber at the exact union {Seconds(converged.Values.Max() - lastWrite)} after the last write, " +
                     $"{Seconds(converged.Values.Max() - killedAt)} after the kill");

        async Task<int> WhereAsync(IAddressable grain) =>
            (await f.GetAsync(() => f.SiloOf(observer.Client, grain), silo => silo is not null, $"{grain} to be active"))!.Value;
    }

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task A_subscriber_and_a_writer_whose_connections_are_cut_reconnect_and_the_subscriber_resubscribes_and_resyncs_to_the_exact_union()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var ct = timeout.Token;
        // Every silo stays up: only the client connections to gateways 1 and 2 are cut, at the TCP level, in both directions.
        var f = await StartAsync(f =>
        {
            f.ProxyGateway(1);
            f.ProxyGateway(2);
        });
        var (subscriberLine, writerLine) = (f.ProxyOf(1), f.ProxyOf(2));
        var observer = await f.ClientAsync(f.Gateway(0));
        // The aggregator behind the cut line of the subscriber on two gateways: its answers to that client start on silo 2.
        await f.PlaceAsync(observer.Client, 2, observer.Client.GetAggregator(), () => observer.Client.GetAggregator().GetVersion());
        var cut = f.Subscribe("subscriber on gateway 1 (cut)", await f.ClientAsync(f.Gateway(1)));
        Subscriber[] subscribers =
        [
            cut,
            f.Subscribe("subscriber on gateway 0", await f.ClientAsync(f.Gateway(0))),
            f.Subscribe("subscriber on gateways 2 (cut) and 0", await f.ClientAsync(f.Gateway(2), f.Gateway(0))),
        ];
        await Task.WhenAll(subscribers.Select(s => s.WaitForSyncAsync(StepTimeout)));
        var cutWriter = f.Writer(await f.ClientAsync(f.Gateway(2)), "wb", seed: 302);
        var atZero = await f.ClientAsync(f.Gateway(0));
        ModelWriter[] writers = [f.Writer(atZero, "wa", seed: 301), cutWriter, f.Writer(atZero, "wc", seed: 303)];
        var stop = false;
        var writing = Task.WhenAll(writers.Select(w => Task.Run(() => w.RunAsync(() => Volatile.Read(ref stop), ct), ct)));
        string State() =>
            string.Join("\n",
            [.. writers.Select(w => w.ToString()), .. subscribers.Select(s => $"{s.Name}: {s.Resyncs} resyncs, at {s.Versions}"),
            $"subscriber's proxy: {subscriberLine.Connected} connections, {subscriberLine.Refused} refused; writer's proxy: " +
                $"{writerLine.Connected} connections, {writerLine.Refused} refused"]);

        await f.UntilAsync(() => writers.Sum(w => w.Accepted) >= 100 || writing.IsCompleted, "100 changes", State);
        var resyncsBefore = cut.Resyncs;
        var connectionsBefore = subscriberLine.Connected;
        var dropped = subscriberLine.Cut() + writerLine.Cut();
        var cutAt = f.Clock.Elapsed;
        f.Report($"cut {dropped} connections (the subscriber's and the writer's)");

        // The line stays down while the others write on, until both clients have tried to reconnect and been refused.
        var acceptedAtCut = writers.Select(w => w.Accepted).ToArray();
        await f.UntilAsync(() =>
            (subscriberLine.Refused > 0 && writerLine.Refused > 0 && writers[0].Accepted >= acceptedAtCut[0] + 50
            && writers[2].Accepted >= acceptedAtCut[2] + 50) || writing.IsCompleted,
            "both clients to try to reconnect while 50 changes are made elsewhere", State);
        subscriberLine.Restore();
        writerLine.Restore();
        var restoredAt = f.Clock.Elapsed;
        f.Report(
            $"restored the connections after {Seconds(restoredAt - cutAt)}; refused meanwhile: subscriber {subscriberLine.Refused}, " +
            $"writer {writerLine.Refused}");
        await f.UntilAsync(() => subscriberLine.Connected > connectionsBefore, "the cut subscriber to reconnect", State);
        var reconnectedAt = f.Clock.Elapsed;
        await f.UntilAsync(() => cut.Resyncs > resyncsBefore, "the cut subscriber to resync", State);
        var resyncedAt = f.Clock.Elapsed;

        var acceptedAtRestore = writers.Select(w => w.Accepted).ToArray();
        await f.UntilAsync(() => writers.Select((w, i) => w.Accepted >= acceptedAtRestore[i] + 30).All(done => done) || writing.IsCompleted,
            "every writer, the cut one too, to have 30 changes accepted after the connections came back", State);
        Volatile.Write(ref stop, true);
        await writing.WaitAsync(StepTimeout, ct);
        var lastWrite = writers.Max(w => w.LastAcceptedAt);
        var converged = await f.ConvergeAsync(subscribers, observer.Client);

        foreach (var writer in writers) f.Report(writer.ToString());
        foreach (var (name, at) in converged.OrderBy(c => c.Value))
        {
            f.Report($"{name}: exact union {Seconds(at - lastWrite)} after the last write");
        }
        f.Report(
            $"convergence, a client's connection cut: the subscriber reconnected {Seconds(reconnectedAt - restoredAt)} after the line " +
            $"came back and had resynced {Seconds(resyncedAt - restoredAt)} after it; " +
                 $"the cut writer took changes again " +
                     $"{Seconds((cutWriter.FirstAcceptedAfter(restoredAt) ?? TimeSpan.Zero) - restoredAt)} after it; " +
                 $"every subscriber at the exact union {Seconds(converged.Values.Max() - lastWrite)} after the last write");
    }

    [Fact(Timeout = TimeoutMilliseconds)]
    public async Task Restarting_every_silo_keeps_the_union_exactly_as_it_was_and_new_changes_flow()
    {
        using var timeout = new CancellationTokenSource(TestTimeout);
        var ct = timeout.Token;
        var f = await StartAsync();
        var observer = await f.ClientThroughRedisAsync();
        TestClient[] at = [await f.ClientAsync(f.Gateway(0)), await f.ClientAsync(f.Gateway(1)), await f.ClientAsync(f.Gateway(2))];
        Subscriber[] subscribers =
            [.. await Task.WhenAll(Enumerable.Range(0, 3)
            .Select(async i => f.Subscribe($"subscriber on gateway {i}", await f.ClientAsync(f.Gateway(i)))))];
        await Task.WhenAll(subscribers.Select(s => s.WaitForSyncAsync(StepTimeout)));

        // State worth keeping: a source stored as a snapshot (a big Set) and then a journal, and two sources of mixed changes.
        var big = f.Writer(at[0], "big", seed: 400, sets: false);
        await big.ApplyAsync(big.BigSet(1100), ct);
        ModelWriter[] writers = [big, f.Writer(at[1], "wa", seed: 401), f.Writer(at[2], "wb", seed: 402)];
        await Task.WhenAll(writers.Select(w => w.WriteAsync(100, ct)));
        await f.ConvergeAsync(subscribers, observer.Client);
        var before = await f.AnswerAsync(() => observer.Client.GetAggregator().GetSnapshot(), "the union before the restart");
        string[] servicesBefore = InHandlerOrder(before.Services), endpointsBefore = InHandlerOrder(before.Endpoints);

        // Every silo at once, with SIGKILL (nothing is flushed on the way down); then three silos again on the same ports.
        await Task.WhenAll(Enumerable.Range(0, Silos).Select(f.Cluster.KillAsync));
        var downAt = f.Clock.Elapsed;
        f.Report($"killed all three silos at union version {before.Version}");
        await f.Cluster.StartAsync(0);
        var firstUpAt = f.Clock.Elapsed;
        await Task.WhenAll(f.Cluster.StartAsync(1), f.Cluster.StartAsync(2));
        var upAt = f.Clock.Elapsed;
        f.Report($"silo 0 up again {Seconds(firstUpAt - downAt)} after the kill, the other two {Seconds(upAt - firstUpAt)} later");

        // The union is exactly what it was, under a new epoch; every subscriber follows the new epoch to it.
        var after = await f.AnswerAsync(() => observer.Client.GetAggregator().GetSnapshot(), "the union after the restart");
        var answeredAt = f.Clock.Elapsed;
        Assert.NotEqual(before.Version.Epoch, after.Version.Epoch);
        Assert.Equal(servicesBefore, InHandlerOrder(after.Services));
        Assert.Equal(endpointsBefore, InHandlerOrder(after.Endpoints));
        Assert.Equal(f.Expected(endpoints: false), servicesBefore);
        Assert.Equal(f.Expected(endpoints: true), endpointsBefore);
        var backAt = await Task.WhenAll(subscribers.Select(async s =>
        {
            await f.UntilAsync(() => s.Versions.Services.Epoch != before.Version.Epoch && s.Versions.Endpoints.Epoch != before.Version.Epoch
                                     && s.Services.SequenceEqual(servicesBefore) && s.Endpoints.SequenceEqual(endpointsBefore),
                $"{s.Name} to hold the union under the new epoch", () => $"{s.Name}: at {s.Versions}, {s.Resyncs} resyncs\n{s.Client.Log}");
            return f.Clock.Elapsed;
        }));

        // New changes flow, through the same clients.
        var writesFrom = f.Clock.Elapsed;
        await Task.WhenAll(writers.Select(w => w.WriteAsync(50, ct))).WaitAsync(StepTimeout, ct);
        var lastWrite = writers.Max(w => w.LastAcceptedAt);
        var converged = await f.ConvergeAsync(subscribers, observer.Client);

        foreach (var writer in writers) f.Report(writer.ToString());
        for (var i = 0; i < subscribers.Length; i++) f.Report(
            $"{subscribers[i].Name}: the union under the new epoch {Seconds(backAt[i] - upAt)} after the silos were up; new changes " +
            $"{Seconds(converged[subscribers[i].Name] - lastWrite)} after the last write");
        f.Report(
            $"convergence, every silo restarted: silos up {Seconds(upAt - downAt)} after the kill; the union (unchanged: " +
            $"{servicesBefore.Length} services, {endpointsBefore.Length} endpoints) answered {Seconds(answeredAt - upAt)} after that; " +
                 $"every subscriber held it under the new epoch {Seconds(backAt.Max() - upAt)} after the silos were up; 150 new " +
                     $"changes took {Seconds(lastWrite - writesFrom)}, and every subscriber had them " +
                     $"{Seconds(converged.Values.Max() - lastWrite)} after the last");
    }

    private static int CountLines(string text, string fragment) =>
        text.Split('\n').Count(line => line.Contains(fragment, StringComparison.Ordinal));
}
