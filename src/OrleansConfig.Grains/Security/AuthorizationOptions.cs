namespace OrleansConfig.Security;

/// <summary>
/// Who may write which source (<c>OrleansConfig:Authorization</c>), by certificate common name. Used only when the
/// cluster runs mutual TLS: without certificates there are no identities, and every client may write.
/// </summary>
public sealed class AuthorizationOptions
{
    /// <summary>Source name (or <c>*</c> for every source) to the comma-separated identities that may write it.</summary>
    public Dictionary<string, string> Writers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Comma-separated identities that may force a replace, remove a source, and write any source.</summary>
    public string? Admins { get; set; }

    /// <summary>Comma-separated identities accepted on the silo-to-silo port (default: this silo's own identity).</summary>
    public string? Silos { get; set; }
}

/// <summary>The decisions <see cref="AuthorizationOptions"/> describe; each refusal is the text the caller sees.</summary>
internal sealed class WritePolicy
{
    public const string AnySource = "*";

    private readonly Dictionary<string, HashSet<string>> _writers;
    private readonly HashSet<string> _anySource;
    private readonly HashSet<string> _admins;

    public WritePolicy(AuthorizationOptions options)
    {
        _writers = options.Writers.Where(w => w.Key != AnySource).ToDictionary(w => w.Key, w => Names(w.Value), StringComparer.Ordinal);
        _anySource = options.Writers.TryGetValue(AnySource, out var any) ? Names(any) : [];
        _admins = Names(options.Admins);
    }

    public bool IsAdmin(string identity) => _admins.Contains(identity);

    /// <summary>Null when <paramref name="identity"/> may apply this update to <paramref name="source"/>; otherwise why not.</summary>
    public string? CheckWrite(string identity, string source, bool force)
    {
        if (IsAdmin(identity)) return null;
        if (!_anySource.Contains(identity) && !(_writers.TryGetValue(source, out var writers) && writers.Contains(identity)))
        {
            return $"forbidden: {identity} may not write source {source}";
        }
        return force ? $"forbidden: {identity} may not force a replace of source {source} (only an admin may)" : null;
    }

    public string? CheckRemove(string identity, string source) =>
        IsAdmin(identity) ? null : $"forbidden: {identity} may not remove source {source} (only an admin may)";

    internal static HashSet<string> Names(string? commaSeparated) =>
        [.. (commaSeparated ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
