namespace OrleansConfig.Subscribers;

/// <summary>
/// Tells the subscriber registry who is calling: the caller's id as this silo received the call, written over
/// anything the caller put in its request context, so a client cannot speak for another.
/// </summary>
internal sealed class SubscriberCallerFilter : IIncomingGrainCallFilter
{
    public const string CallerKey = "orleans-config.subscriber-caller";

    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.TargetContext.GrainInstance is SubscriberRegistryGrain)
        {
            RequestContext.Set(CallerKey, context.SourceId?.ToString() ?? "");
        }
        return context.Invoke();
    }

    /// <summary>The caller the filter recorded for the call being served.</summary>
    public static string Caller() => RequestContext.Get(CallerKey) as string ?? "";
}
