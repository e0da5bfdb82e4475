using RaftBalancer.Cli;

return await RbctlApplication.RunAsync(args, CliConsole.FromProcess(), CancellationToken.None);
