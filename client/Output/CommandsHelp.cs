using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;

namespace OrleansConfig.Cli.Output;

/// <summary>
/// System.CommandLine's help, with its "Commands:" list written again so that an optional argument shows as optional
/// (<c>sources [NAME...]</c>, not <c>sources &lt;NAME&gt;</c>); its help builder cannot be customized in 2.0.
/// </summary>
internal sealed class CommandsHelpAction(SynchronousCommandLineAction help) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var configuration = parseResult.InvocationConfiguration;
        var output = configuration.Output;
        using var buffer = new StringWriter();
        configuration.Output = buffer;
        int exitCode;
        try
        {
            exitCode = help.Invoke(parseResult);
        }
        finally
        {
            configuration.Output = output;
        }
        output.Write(CommandsHelp.Rewrite(buffer.ToString(), parseResult.CommandResult.Command));
        return exitCode;
    }
}

internal static class CommandsHelp
{
    /// <summary>Replaces the lines of the "Commands:" section of <paramref name="help"/> with <see cref="Rows"/>.</summary>
    public static string Rewrite(string help, Command command)
    {
        var lines = help.Replace("\r\n", "\n").Split('\n');
        var start = Array.IndexOf(lines, "Commands:");
        if (start < 0) return help;
        var end = start + 1;
        while (end < lines.Length && lines[end].Length > 0) end++;
        var text = new StringBuilder();
        foreach (var line in lines.Take(start + 1)) text.Append(line).Append('\n');
        text.Append(Rows(command));
        text.Append(string.Join('\n', lines.Skip(end)));
        return text.ToString();
    }

    /// <summary>Each subcommand with its aliases and arguments (<c>&lt;NAME&gt;</c> required, <c>[NAME...]</c>
    /// optional) and its description.</summary>
    public static string Rows(Command command)
    {
        var rows = command.Subcommands.Where(c => !c.Hidden).Select(c => (Label: Label(c), c.Description ?? "")).ToList();
        var width = rows.Max(r => r.Label.Length);
        var text = new StringBuilder();
        foreach (var (label, description) in rows) text.Append("  ").Append(label.PadRight(width + 2)).Append(description).Append('\n');
        return text.ToString();
    }

    public static string Label(Command command)
    {
        var names = string.Join(", ", command.Aliases.Order(StringComparer.Ordinal).Prepend(command.Name));
        var arguments = command.Arguments.Where(a => !a.Hidden).Select(a =>
        {
            var name = a.HelpName ?? a.Name;
            var many = a.Arity.MaximumNumberOfValues > 1 ? "..." : "";
            return a.Arity.MinimumNumberOfValues == 0 ? $"[{name}{many}]" : $"<{name}>{many}";
        });
        return string.Join(' ', arguments.Prepend(names));
    }
}
