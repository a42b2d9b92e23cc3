namespace OrleansConfig.Cli.Output;

/// <summary>The nearest of a few known words to a misspelled one (cobra's "Did you mean this?").</summary>
internal static class DidYouMean
{
    /// <summary>
    /// The candidate closest to <paramref name="typed"/> by edit distance (ties: the first), if it is within a third of its
    /// length (at least 1, at most 3 edits), or the candidate <paramref name="typed"/> is a prefix of.
    /// </summary>
    public static string? Suggest(string typed, IEnumerable<string> candidates)
    {
        if (typed.Length == 0) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = candidate.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 0 : Distance(typed, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        var allowed = Math.Clamp(typed.Length / 3, 1, 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Levenshtein distance, ignoring case, with a transposition counted as one edit.</summary>
    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
