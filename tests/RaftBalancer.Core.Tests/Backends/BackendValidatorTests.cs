namespace RaftBalancer.Core.Tests.Backends;

[Trait("Category", "Unit")]
public sealed class BackendValidatorTests
{
    private static BackendDefinition Backend(string id, string host = "h") => new(id, $"http://{host}:80");

    [Fact]
    public void Validate_ValidInput_NoErrors()
    {
        Assert.Empty(BackendValidator.Validate("a", "http://a:80", 1));
        Assert.Empty(BackendValidator.Validate("a", "https://[::1]:8443/", 0));
    }

    [Fact]
    public void Validate_FieldPrefix_PrefixesEveryField()
    {
        var errors = BackendValidator.Validate("", "relative", 5000, "backends[2].");

        Assert.Equal(["backends[2].id", "backends[2].url", "backends[2].weight"], errors.Select(error => error.Field));
    }

    [Fact]
    public void ValidateSet_DuplicateIds_NamesIndexAndFirstUse()
    {
        var errors = BackendValidator.ValidateSet([Backend("a"), Backend("b"), Backend("a", "other")]);

        var error = Assert.Single(errors);
        Assert.Equal("backends[2].id", error.Field);
        Assert.Contains("duplicate id 'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("backends[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateSet_IdsDifferOnlyInCase_NotDuplicates()
    {
        Assert.Empty(BackendValidator.ValidateSet([Backend("a"), Backend("A")]));
    }

    [Fact]
    public void ValidateSet_NullEntry_NamesIndex()
    {
        var error = Assert.Single(BackendValidator.ValidateSet([Backend("a"), null!]));

        Assert.Equal("backends[1]", error.Field);
        Assert.Contains("must not be null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateSet_NullSet_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => BackendValidator.ValidateSet(null!));
    }

    [Fact]
    public void ValidateSet_EmptyOrDistinct_NoErrors()
    {
        Assert.Empty(BackendValidator.ValidateSet([]));
        Assert.Empty(BackendValidator.ValidateSet([Backend("a"), Backend("b"), Backend("c")]));
    }

    [Fact]
    public void ThrowIfInvalidSet_Duplicates_ThrowsWithEveryError()
    {
        var ex = Assert.Throws<BackendValidationException>(
            () => BackendValidator.ThrowIfInvalidSet([Backend("a"), Backend("a"), Backend("b"), Backend("b")]));

        Assert.Equal(["backends[1].id", "backends[3].id"], ex.Errors.Select(error => error.Field));
        Assert.Contains("2 errors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThrowIfInvalidSet_ValidSet_DoesNotThrow()
    {
        BackendValidator.ThrowIfInvalidSet([Backend("a"), Backend("b")]);
    }

    [Fact]
    public void BackendValidationException_NullErrors_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => new BackendValidationException(null!));
    }

    [Fact]
    public void ValidationError_ToString_FieldThenMessage()
    {
        Assert.Equal("url: must not be empty.", new ValidationError("url", "must not be empty.").ToString());
    }
}
