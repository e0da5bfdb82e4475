using Microsoft.Extensions.Options;
using RaftBalancer.Core.Breaking;

namespace RaftBalancer.Node.Options;

/// <summary>Runs the Core circuit-breaker options' own validation at start-up.</summary>
internal sealed class CircuitBreakerOptionsValidator : IValidateOptions<CircuitBreakerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, CircuitBreakerOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
