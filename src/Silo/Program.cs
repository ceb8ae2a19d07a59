using GradDescent.Silo.Cli;

return await CliApplication.RunAsync(args);
