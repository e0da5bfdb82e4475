using System.Reflection;
using RaftBalancer.State.Raft;
using RaftBalancer.State.Raft.Transport;

namespace RaftBalancer.Node.Tests.Hosting;

/// <summary>The product assemblies carry no fault injection: only the seam interface, which nothing in them implements.</summary>
[Trait("Category", "Unit")]
public sealed class ProductAssembliesTests
{
    private static readonly Assembly[] Product = [typeof(NodeApp).Assembly, typeof(RaftStateStore).Assembly, typeof(RoutingView).Assembly];

    [Fact]
    public void ProductAssemblies_Types_NoneInAChaosNamespaceOrImplementingTheLinkSeam()
    {
        var offenders = Product
            .SelectMany(a => a.GetTypes())
            .Where(t => (t.Namespace ?? string.Empty).Split('.').Contains("Chaos", StringComparer.Ordinal)
                || t.Name.Contains("Chaos", StringComparison.Ordinal)
                || (!t.IsInterface && typeof(IPeerLinkHooks).IsAssignableFrom(t)))
            .Select(t => t.Assembly.GetName().Name + ": " + t.FullName)
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void ProductAssemblies_References_NoTestOnlyAssembly()
    {
        var references = Product
            .SelectMany(a => a.GetReferencedAssemblies().Select(r => a.GetName().Name + " -> " + r.Name))
            .Where(r => r.Contains("Chaos", StringComparison.Ordinal) || r.Contains(".Tests", StringComparison.Ordinal))
            .ToList();

        Assert.Empty(references);
    }
}
