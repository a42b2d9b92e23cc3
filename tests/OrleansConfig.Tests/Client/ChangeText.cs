namespace OrleansConfig.Tests.Client;

/// <summary>
/// What change tests compare: "+ns/name@source:rev" for an added item, "~...:old>new" for an update, "-...:rev" for a
/// removed one (the rev the handler last saw), space-separated in the order of the lists.
/// </summary>
internal static class ChangeText
{
    public static string Of<T>(ConfigChanges<T> changes) where T : IConfigItem =>
        string.Join(' ',
            changes.Added.Select(i => $"+{Name(i)}:{i.Rev()}")
                .Concat(changes.Updated.Select(u => $"~{Name(u.New)}:{u.Old.Rev()}>{u.New.Rev()}"))
                .Concat(changes.Removed.Select(i => $"-{Name(i)}:{i.Rev()}")));

    private static string Name(IConfigItem item) => $"{item.Key()}@{item.Source()}";
}
