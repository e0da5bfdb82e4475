namespace RaftBalancer.DemoBackend;

/// <summary>Holds the backend's current <see cref="FaultSettings"/>, swapped atomically.</summary>
internal sealed class FaultState
{
    private FaultSettings _current;

    public FaultState(FaultSettings initial)
    {
        _current = initial;
    }

    public FaultSettings Current => Volatile.Read(ref _current);

    public void Set(FaultSettings settings) => Volatile.Write(ref _current, settings);
}
