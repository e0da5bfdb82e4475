namespace RaftBalancer.DemoBackend;

/// <summary>The control endpoint's answer to bad input.</summary>
/// <param name="Status">Always <c>error</c>.</param>
/// <param name="Error">What is wrong, naming the field.</param>
public sealed record ControlError(string Status, string Error);
