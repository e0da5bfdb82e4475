using System.CommandLine;
using RaftBalancer.Cli.Certificates;

namespace RaftBalancer.Cli.Commands;

/// <summary><c>rbctl certs init</c>: make a cluster CA and the certificates of its members and operators (no node is contacted).</summary>
internal static class CertsCommand
{
    /// <summary>Creates the <c>certs</c> command group.</summary>
    /// <param name="console">Where the command writes.</param>
    /// <returns>The command.</returns>
    public static Command Create(CliConsole console)
    {
        var output = new Option<string>("--out")
        {
            Description = "Directory to write ca.crt/ca.key, <member>.crt/.key and operator.crt/.key into.",
            Required = true,
        };
        var members = new Option<string>("--members")
        {
            Description = "Member ids, comma-separated, e.g. node-1,node-2,node-3.",
            Required = true,
        };
        var hosts = new Option<string>("--hosts")
        {
            Description = "DNS names and IP addresses every member certificate also carries (for the admin and proxy ports).",
            DefaultValueFactory = _ => "localhost,127.0.0.1,::1",
        };
        var days = new Option<int>("--days")
        {
            Description = "Validity in days.",
            DefaultValueFactory = _ => 365,
        };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing CA in the directory." };

        var init = new Command("init", "Make a cluster CA, one certificate per member and one for operators.") { output, members, hosts, days, force };
        init.SetAction(parseResult =>
        {
            var directory = Path.GetFullPath(parseResult.GetRequiredValue(output));
            var ids = Split(parseResult.GetRequiredValue(members));
            if (ids.Length == 0 || ids.Any(id => id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))))
            {
                console.Error.WriteLine("--members: give member ids (letters, digits, '-', '_', '.'), comma-separated.");
                return ExitCodes.Usage;
            }

            var validity = parseResult.GetValue(days);
            if (validity <= 0)
            {
                console.Error.WriteLine("--days: must be positive.");
                return ExitCodes.Usage;
            }

            if (File.Exists(Path.Combine(directory, "ca.key")) && !parseResult.GetValue(force))
            {
                console.Error.WriteLine($"--out: {directory} already holds a CA (ca.key); pass --force to replace it and every certificate it issued.");
                return ExitCodes.Usage;
            }

            var files = ClusterCertificateAuthority.Write(directory, ids, Split(parseResult.GetValue(hosts) ?? string.Empty), TimeSpan.FromDays(validity), console.TimeProvider.GetUtcNow());
            foreach (var file in files)
            {
                console.Out.WriteLine(file);
            }

            return ExitCodes.Ok;
        });

        return new Command("certs", "Make cluster certificates.") { init };
    }

    private static string[] Split(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
