using System.CommandLine;
using OrleansConfig.Cli.Output;

namespace OrleansConfig.Cli;

/// <summary>
/// How a command line that does not parse is answered (exit code 2): <c>error: </c> lines, an unknown command with the valid
/// ones and the nearest ("Did you mean this?", as kubectl's cobra says it), and a pointer to that command's own help.
/// </summary>
internal static class UsageErrors
{
    public const string Program = "orleans-config";

    /// <summary>The lines to print to stderr for a parse that failed; the last points at the help of the command that failed.</summary>
    public static IReadOnlyList<string> Describe(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        List<string> lines = [];
        // delete also runs on its own (-f): it is a group when a word that is no command of its follows it.
        if (command.Subcommands.Count > 0 && (command.Action is null || parsed.UnmatchedTokens.Any(t => !t.StartsWith('-'))))
        {
            // A command that only groups others (the root, delete): name what may follow it.
            var unknown = parsed.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
            if (unknown is not null) lines.AddRange(UnknownCommand(command, unknown));
            else if (!parsed.UnmatchedTokens.Any()) lines.Add($"error: {MissingCommand(command)}");
            foreach (var error in parsed.Errors)
            {
                // System.CommandLine's own words for what the lines above already say.
                if (error.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)) continue;
                if (error.Message == MissingCommand(command)) continue;
                if (unknown is not null && error.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal)) continue;
                lines.Add($"error: {error.Message}");
            }
        }
        else
        {
            lines.AddRange(parsed.Errors.Select(e => $"error: {e.Message}"));
        }
        lines.Add(SeeHelp(command));
        return lines;
    }

    /// <summary><c>error: unknown command "gett" for "orleans-config"</c>, the nearest valid one, and all of them.</summary>
    public static IReadOnlyList<string> UnknownCommand(Command parent, string typed)
    {
        var names = parent.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        var everything =
            parent.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name).Select(n => (Name: n, Command: c.Name)))
            .ToList();
        var guess = DidYouMean.Suggest(typed, everything.Select(e => e.Name));
        List<string> lines = [$"error: unknown command \"{typed}\" for \"{Path(parent)}\""];
        if (guess is not null)
        {
            lines.Add("");
            lines.Add("Did you mean this?");
            lines.Add($"\t{everything.First(e => e.Name == guess).Command}");
            lines.Add("");
        }
        lines.Add($"Valid commands: {string.Join(", ", names)}");
        return lines;
    }

    /// <summary><c>Run 'orleans-config get --help' for usage.</c></summary>
    public static string SeeHelp(Command command) => $"Run '{Path(command)} --help' for usage.";

    /// <summary>The words that name <paramref name="command"/>: <c>orleans-config delete service</c>.</summary>
    public static string Path(Command command)
    {
        List<string> words = [];
        for (Symbol? at = command; at is Command c; at = c.Parents.FirstOrDefault())
        {
            words.Add(c is RootCommand ? Program : c.Name);
        }
        words.Reverse();
        return string.Join(' ', words);
    }

    public static string MissingCommand(Command command)
    {
        var names = string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        return command is RootCommand ? $"no command given; valid commands: {names}" : $"\"{command.Name}\" needs one of: {names}";
    }
}
