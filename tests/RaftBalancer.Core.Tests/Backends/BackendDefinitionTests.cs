namespace RaftBalancer.Core.Tests.Backends;

[Trait("Category", "Unit")]
public sealed class BackendDefinitionTests
{
    private static BackendValidationException Reject(string? id, string? url, int weight = 1) =>
        Assert.Throws<BackendValidationException>(() => new BackendDefinition(id!, url!, weight));

    private static void AssertSingleError(BackendValidationException ex, string field, string fragment)
    {
        var error = Assert.Single(ex.Errors);
        Assert.Equal(field, error.Field);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal(field, ex.ParamName);
        Assert.Contains($"{field}:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ctor_ValidInput_KeepsEveryField()
    {
        var metadata = new Dictionary<string, string> { ["zone"] = "eu-1" };

        var backend = new BackendDefinition("api-1.eu_west", "https://10.0.0.1:8443/base", 7, draining: true, metadata);

        Assert.Equal("api-1.eu_west", backend.Id);
        Assert.Equal(new Uri("https://10.0.0.1:8443/base"), backend.Url);
        Assert.Equal(7, backend.Weight);
        Assert.True(backend.Draining);
        Assert.Equal("eu-1", backend.Metadata["zone"]);
    }

    [Fact]
    public void Ctor_Defaults_WeightOneNotDrainingNoMetadata()
    {
        var backend = new BackendDefinition("a", "http://a:80");

        Assert.Equal(1, backend.Weight);
        Assert.False(backend.Draining);
        Assert.Empty(backend.Metadata);
    }

    [Fact]
    public void Ctor_MetadataMutatedAfterwards_DefinitionUnchanged()
    {
        var metadata = new Dictionary<string, string> { ["zone"] = "eu-1" };
        var backend = new BackendDefinition("a", "http://a:80", metadata: metadata);

        metadata["zone"] = "us-1";

        Assert.Equal("eu-1", backend.Metadata["zone"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Ctor_NullOrEmptyUrl_ThrowsNamingUrl(string? url)
    {
        AssertSingleError(Reject("a", url), "url", "must not be empty");
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("api/v1")]
    [InlineData("not a url")]
    [InlineData(@"\\server\share")]
    public void Ctor_RelativeUrl_ThrowsNamingUrl(string url)
    {
        AssertSingleError(Reject("a", url), "url", "not an absolute URL");
    }

    [Theory]
    [InlineData("ftp://files.example.com/", "ftp")]
    [InlineData("ws://a:80", "ws")]
    [InlineData("localhost:8080", "localhost")]
    public void Ctor_NonHttpScheme_ThrowsNamingUrlAndScheme(string url, string scheme)
    {
        var ex = Reject("a", url);

        AssertSingleError(ex, "url", "must use http or https");
        Assert.Contains($"'{scheme}'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http:///x")]
    [InlineData("http://:80/")]
    [InlineData("http:")]
    [InlineData("https://")]
    public void Ctor_UrlWithoutHost_ThrowsNamingUrl(string url)
    {
        var ex = Reject("a", url);

        Assert.Equal("url", Assert.Single(ex.Errors).Field);
        Assert.Contains(url, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://a:80/?x=1")]
    [InlineData("http://a:80/#frag")]
    [InlineData("http://user:secret@a:80/")]
    public void Ctor_UrlWithQueryFragmentOrUserInfo_ThrowsNamingUrl(string url)
    {
        AssertSingleError(Reject("a", url), "url", "must not carry a query");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Ctor_NegativeWeight_ThrowsNamingWeight(int weight)
    {
        var ex = Reject("a", "http://a:80", weight);

        AssertSingleError(ex, "weight", $"(got {weight})");
    }

    [Fact]
    public void Ctor_WeightAboveMax_ThrowsNamingWeight()
    {
        AssertSingleError(Reject("a", "http://a:80", BackendLimits.MaxWeight + 1), "weight", $"between 0 and {BackendLimits.MaxWeight}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(BackendLimits.MaxWeight)]
    public void Ctor_WeightAtBounds_Accepted(int weight)
    {
        Assert.Equal(weight, new BackendDefinition("a", "http://a:80", weight).Weight);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Ctor_EmptyId_ThrowsNamingId(string? id)
    {
        AssertSingleError(Reject(id, "http://a:80"), "id", "must not be empty");
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("naïve")]
    [InlineData("a:b")]
    public void Ctor_InvalidIdChars_ThrowsNamingIdAndValue(string id)
    {
        var ex = Reject(id, "http://a:80");

        AssertSingleError(ex, "id", $"'{id}'");
    }

    [Fact]
    public void Ctor_IdTooLong_ThrowsNamingId()
    {
        var id = new string('a', BackendLimits.MaxIdLength + 1);

        AssertSingleError(Reject(id, "http://a:80"), "id", $"1 to {BackendLimits.MaxIdLength} characters");
        Assert.Equal(id[..^1], new BackendDefinition(id[..^1], "http://a:80").Id);
    }

    [Fact]
    public void Ctor_TooManyMetadataEntries_ThrowsNamingMetadata()
    {
        var metadata = Enumerable.Range(0, BackendLimits.MaxMetadataEntries + 1).ToDictionary(i => $"k{i}", i => "v");

        var ex = Assert.Throws<BackendValidationException>(() => new BackendDefinition("a", "http://a:80", metadata: metadata));

        AssertSingleError(ex, "metadata", $"at most {BackendLimits.MaxMetadataEntries}");
    }

    [Fact]
    public void Ctor_SeveralBadFields_ReportsEveryFieldInOrder()
    {
        var ex = Reject("a/b", "ftp://x", -3);

        Assert.Equal(["id", "url", "weight"], ex.Errors.Select(error => error.Field));
        Assert.StartsWith("Invalid backends (3 errors): id:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("; url:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("; weight:", ex.Message, StringComparison.Ordinal);
        Assert.Equal("id", ex.ParamName);
    }

    [Fact]
    public void WithWeight_ValidWeight_CopiesEverythingElse()
    {
        var metadata = new Dictionary<string, string> { ["zone"] = "eu-1" };
        var backend = new BackendDefinition("a", "http://a:80/base", 1, draining: true, metadata);

        var copy = backend.WithWeight(9);

        Assert.Equal(9, copy.Weight);
        Assert.Equal(backend.Id, copy.Id);
        Assert.Equal(backend.Url, copy.Url);
        Assert.True(copy.Draining);
        Assert.Equal("eu-1", copy.Metadata["zone"]);
        Assert.Equal(1, backend.Weight);
    }

    [Fact]
    public void WithWeight_InvalidWeight_ThrowsNamingWeight()
    {
        var backend = new BackendDefinition("a", "http://a:80");

        AssertSingleError(Assert.Throws<BackendValidationException>(() => backend.WithWeight(-1)), "weight", "(got -1)");
    }

    [Fact]
    public void WithDraining_Toggled_CopiesEverythingElse()
    {
        var backend = new BackendDefinition("a", "http://a:80", 4);

        var draining = backend.WithDraining(true);

        Assert.True(draining.Draining);
        Assert.Equal(4, draining.Weight);
        Assert.False(backend.Draining);
        Assert.Equal(backend, draining.WithDraining(false));
    }

    [Fact]
    public void Equals_SameFields_EqualWithSameHashCode()
    {
        var left = new BackendDefinition("a", "http://a:80", 2, false, new Dictionary<string, string> { ["k"] = "v" });
        var right = new BackendDefinition("a", "http://a:80", 2, false, new Dictionary<string, string> { ["k"] = "v" });

        Assert.True(left.Equals(right));
        Assert.True(left.Equals((object)right));
        Assert.True(left.Equals(left));
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Fact]
    public void Equals_AnyFieldDifferent_NotEqual()
    {
        var baseline = new BackendDefinition("a", "http://a:80", 2, false, new Dictionary<string, string> { ["k"] = "v" });

        Assert.False(baseline.Equals(null));
        Assert.False(baseline.Equals("a"));
        Assert.NotEqual(baseline, new BackendDefinition("b", "http://a:80", 2, false, new Dictionary<string, string> { ["k"] = "v" }));
        Assert.NotEqual(baseline, new BackendDefinition("a", "http://b:80", 2, false, new Dictionary<string, string> { ["k"] = "v" }));
        Assert.NotEqual(baseline, baseline.WithWeight(3));
        Assert.NotEqual(baseline, baseline.WithDraining(true));
        Assert.NotEqual(baseline, new BackendDefinition("a", "http://a:80", 2, false, new Dictionary<string, string> { ["k"] = "w" }));
        Assert.NotEqual(baseline, new BackendDefinition("a", "http://a:80", 2, false, new Dictionary<string, string> { ["j"] = "v" }));
        Assert.NotEqual(baseline, new BackendDefinition("a", "http://a:80", 2));
    }

    [Fact]
    public void ToString_Draining_NamesIdUrlWeightAndDrain()
    {
        Assert.Equal("a http://a/ weight=3", new BackendDefinition("a", "http://a", 3).ToString());
        Assert.Equal("a http://a/ weight=3 draining", new BackendDefinition("a", "http://a", 3, draining: true).ToString());
    }
}
