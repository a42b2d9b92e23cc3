namespace OrleansConfig.Client;

/// <summary>A readable name for a handler in logs.</summary>
internal static class HandlerName
{
    public static string Of(object handler) => handler.GetType().FullName ?? handler.GetType().Name;

    public static string Of(Delegate handler) =>
        handler.Method.DeclaringType is { } type ? $"{type.Name}.{handler.Method.Name}" : handler.Method.Name;
}
