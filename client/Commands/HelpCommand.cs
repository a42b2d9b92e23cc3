using System.CommandLine;

namespace OrleansConfig.Cli.Commands;

/// <summary><c>help [COMMAND...]</c>: the same text as <c>COMMAND... --help</c>.</summary>
internal static class HelpCommand
{
    public static Command Build()
    {
        var words = new Argument<string[]>("COMMAND")
        {
            Description = "The command to describe, e.g. get, or delete service (default: every command)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("help", "Show help for a command") { words };
        command.SetAction(parsed =>
        {
            var root = parsed.RootCommandResult.Command;
            var path = parsed.GetValue(words) ?? [];
            var current = root;
            foreach (var word in path)
            {
                var next = current.Subcommands.FirstOrDefault(c => c.Name == word || c.Aliases.Contains(word));
                if (next is null)
                {
                    foreach (var line in UsageErrors.UnknownCommand(current, word)) Console.Error.WriteLine(line);
                    Console.Error.WriteLine(UsageErrors.SeeHelp(current));
                    return ExitCodes.Usage;
                }
                current = next;
            }
            return root.Parse([.. path, "--help"]).Invoke();
        });
        return command;
    }
}
