using OrleansConfig.Cli;

return await CliApp.RunAsync(args);
