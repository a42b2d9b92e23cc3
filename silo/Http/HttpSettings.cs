using Microsoft.Extensions.Configuration;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// Who may use the silo's HTTP side: the bearer token (<c>OrleansConfig:Http:TokenFile</c>) and the rule that HTTP
/// beyond loopback needs one, unless <c>OrleansConfig:Insecure=true</c>. Checked before the host is built, so a
/// mistake stops the silo with only its message.
/// </summary>
internal static class HttpSettings
{
    public const string TokenFileKey = SiloHttpOptions.SectionName + ":TokenFile";
    public const string InsecureKey = Security.SiloSecurity.InsecureKey;

    /// <summary>One message per problem, each naming its key; nothing when the silo serves no HTTP.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        if (!SiloHttp.Serves(configuration)) return [];
        List<string> errors = [];
        foreach (var (key, url) in ListenUrls.All(configuration))
        {
            if (!ListenUrls.TryIsLoopback(url, out var loopback))
            {
                errors.Add($"{key}: \"{url}\" is not a URL like http://127.0.0.1:8080");
            }
            else if (!loopback && TokenFilePath(configuration) is null && !Security.SiloSecurity.Insecure(configuration, errors))
            {
                errors.Add(
                    $"HTTP listens on {url} beyond loopback without {TokenFileKey}; set one, or set {InsecureKey}=true if you mean it");
            }
        }
        if (TokenFilePath(configuration) is { } path && TryReadToken(path, out _) is { } tokenError)
        {
            errors.Add($"{TokenFileKey}: {tokenError}");
        }
        return errors.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The token HTTP requests must bear, or null when no token file is set. Call after <see cref="Check"/>.</summary>
    public static string? ReadToken(IConfiguration configuration)
    {
        if (TokenFilePath(configuration) is not { } path) return null;
        // Checked moments ago; a file changed since then still stops the silo, naming the key.
        if (TryReadToken(path, out var token) is { } error) throw new SettingsException([$"{TokenFileKey}: {error}"]);
        return token;
    }

    /// <summary>Null with the token read from <paramref name="path"/>, or why it cannot be used.</summary>
    internal static string? TryReadToken(string path, out string token)
    {
        token = "";
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return $"file \"{path}\" does not exist";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"cannot read \"{path}\": {ex.Message}";
        }
        token = text.Trim();
        if (token.Length == 0) return $"file \"{path}\" is empty";
        // It travels in an HTTP header, so it must be one word a header carries as it is.
        if (token.Any(c => c is < '!' or > '~'))
        {
            return $"the token in \"{path}\" must be one word of printable ASCII, without spaces or control characters";
        }
        return null;
    }

    private static string? TokenFilePath(IConfiguration configuration) =>
        configuration[TokenFileKey] is { } path && !string.IsNullOrWhiteSpace(path) ? path.Trim() : null;
}
