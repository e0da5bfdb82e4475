using System.CommandLine;
using System.CommandLine.Parsing;

namespace RaftBalancer.Cli.Commands;

/// <summary>Creates the options shared by several commands, with their client-side validation.</summary>
internal static class CommandOptions
{
    /// <summary><c>--consistency local|linearizable</c> for reads.</summary>
    /// <returns>A new option.</returns>
    public static Option<string> Consistency()
    {
        var option = new Option<string>("--consistency")
        {
            Description = "local: answer from the node's copy (fast, may lag a little); linearizable: after a Raft read barrier.",
            DefaultValueFactory = _ => "local",
        };
        option.AcceptOnlyFromAmong("local", "linearizable");
        return option;
    }

    /// <summary><c>--id</c>, required.</summary>
    /// <returns>A new option.</returns>
    public static Option<string> Id()
    {
        var option = new Option<string>("--id")
        {
            Description = "The backend id.",
            Required = true,
        };
        option.Validators.Add(result =>
        {
            var value = LastToken(result);
            if (string.IsNullOrWhiteSpace(value))
            {
                result.AddError("--id: must not be empty.");
            }
        });
        return option;
    }

    /// <summary><c>--url</c>, required, an absolute http(s) URL.</summary>
    /// <returns>A new option.</returns>
    public static Option<string> Url()
    {
        var option = new Option<string>("--url")
        {
            Description = "The backend's absolute http or https base URL.",
            Required = true,
        };
        option.Validators.Add(result =>
        {
            var value = LastToken(result);
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || string.IsNullOrEmpty(uri.Host))
            {
                result.AddError($"--url: '{value}' is not an absolute http or https URL.");
            }
        });
        return option;
    }

    /// <summary><c>--weight</c>, a non-negative integer.</summary>
    /// <param name="required">True when the option must be given.</param>
    /// <returns>A new option; when optional its default is 1.</returns>
    public static Option<int> Weight(bool required)
    {
        var option = new Option<int>("--weight", "-w")
        {
            Description = "Relative share of traffic under weighted policies; 0 takes no traffic.",
            Required = required,
        };
        if (!required)
        {
            option.DefaultValueFactory = _ => 1;
        }

        option.Validators.Add(result =>
        {
            // An unparsable value already has the parser's error; only range-check numbers.
            if (int.TryParse(LastToken(result), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var weight) && weight < 0)
            {
                result.AddError($"--weight: must be 0 or more (got {LastToken(result)}).");
            }
        });
        return option;
    }

    /// <summary><c>--metadata key=value</c>, repeatable.</summary>
    /// <returns>A new option.</returns>
    public static Option<string[]> Metadata()
    {
        var option = new Option<string[]>("--metadata", "-m")
        {
            Description = "A label as key=value; repeat for more.",
            HelpName = "key=value",
            Arity = ArgumentArity.ZeroOrMore,
        };
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                var separator = token.Value.IndexOf('=', StringComparison.Ordinal);
                if (separator <= 0)
                {
                    result.AddError($"--metadata: '{token.Value}' is not key=value with a non-empty key.");
                }
            }
        });
        return option;
    }

    /// <summary>Turns <c>key=value</c> labels into a map; a repeated key keeps its last value.</summary>
    /// <param name="labels">Validated labels.</param>
    /// <returns>The map.</returns>
    public static Dictionary<string, string> ToMap(IEnumerable<string>? labels)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var label in labels ?? [])
        {
            var separator = label.IndexOf('=', StringComparison.Ordinal);
            map[label[..separator]] = label[(separator + 1)..];
        }

        return map;
    }

    private static string? LastToken(OptionResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
}
