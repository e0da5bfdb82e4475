namespace RaftBalancer.Cli.Tests.Infrastructure;

/// <summary>A thread-safe in-memory writer that tests can read while a command is still writing.</summary>
internal sealed class CapturingWriter : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly object _gate = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            _text.Append(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _text.Append(value).Append(NewLine);
        }
    }

    public IReadOnlyList<string> Lines()
    {
        lock (_gate)
        {
            return _text.ToString().Split(NewLine, StringSplitOptions.RemoveEmptyEntries);
        }
    }

    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }
}
