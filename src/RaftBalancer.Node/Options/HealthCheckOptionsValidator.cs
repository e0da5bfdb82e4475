using Microsoft.Extensions.Options;
using RaftBalancer.Core.Health;

namespace RaftBalancer.Node.Options;

/// <summary>Runs the Core health-check options' own validation (every error, each naming its field) at start-up.</summary>
internal sealed class HealthCheckOptionsValidator : IValidateOptions<HealthCheckOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HealthCheckOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
