using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1Alpha;

namespace RaftBalancer.Node.Tests.Admin;

/// <summary>A generic client: everything it knows about Health comes from the server's reflection service.</summary>
[Trait("Category", "Integration")]
[Collection(AdminClusterGroup.Name)]
public sealed class AdminReflectionTests(AdminCluster cluster)
{
    [Fact]
    public async Task Reflection_ListsServices_AndHealthCheckBuiltFromDescriptors_AnswersServing()
    {
        var node = cluster.Nodes[1];
        var reflection = new ServerReflection.ServerReflectionClient(node.Channel);
        using var call = reflection.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = string.Empty });
        Assert.True(await call.ResponseStream.MoveNext());
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("raftbalancer.v1.Admin", services);
        Assert.Contains("grpc.health.v1.Health", services);

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" });
        Assert.True(await call.ResponseStream.MoveNext());
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto.ToList();
        await call.RequestStream.CompleteAsync();

        var descriptors = FileDescriptor.BuildFromByteStrings(files);
        var service = descriptors.SelectMany(f => f.Services).Single(s => s.FullName == "grpc.health.v1.Health");
        var check = service.FindMethodByName("Check");

        // Hand-built request: HealthCheckRequest { service = "" } (the whole server) — every field at its default is zero bytes.
        Assert.NotNull(check.InputType.FindFieldByName("service"));
        var bytes = Marshallers.Create(b => b, b => b);
        var method = new Method<byte[], byte[]>(MethodType.Unary, service.FullName, check.Name, bytes, bytes);
        var reply = await node.Channel.CreateCallInvoker().AsyncUnaryCall(method, null, default, []);

        var statusField = check.OutputType.FindFieldByName("status");
        var status = ReadEnumField(reply, statusField.FieldNumber);
        Assert.Equal("SERVING", statusField.EnumType.FindValueByNumber(status).Name);
    }

    private static int ReadEnumField(byte[] message, int fieldNumber)
    {
        var input = new CodedInputStream(message);
        var value = 0;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == fieldNumber)
            {
                value = input.ReadEnum();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return value;
    }
}
