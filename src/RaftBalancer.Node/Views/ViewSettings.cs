namespace RaftBalancer.Node.Views;

/// <summary>The node settings a view is built with; fixed for the node's lifetime.</summary>
/// <param name="NodeId">This node's id (its own stored reports are replaced by its live observations).</param>
/// <param name="HealthFreshFor">How old a health report may be and still count.</param>
/// <param name="LoadFreshFor">How old a load report may be and still count.</param>
/// <param name="PanicRouting">When nothing is routable, route to the backends out only by the health verdict.</param>
internal sealed record ViewSettings(string NodeId, TimeSpan HealthFreshFor, TimeSpan LoadFreshFor, bool PanicRouting);
