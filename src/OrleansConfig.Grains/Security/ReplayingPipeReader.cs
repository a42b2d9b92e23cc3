using System.Buffers;
using System.IO.Pipelines;

namespace OrleansConfig.Security;

/// <summary>A reader that first gives bytes already taken off <paramref name="inner"/>, then reads
/// <paramref name="inner"/> itself.</summary>
internal sealed class ReplayingPipeReader(byte[] replay, PipeReader inner) : PipeReader
{
    private ReadOnlySequence<byte> _replay = new(replay);
    private bool _wantsMore;
    private bool _innerCompleted;

    public override bool TryRead(out ReadResult result)
    {
        if (_replay.IsEmpty) return inner.TryRead(out result);
        if (_wantsMore) return TryReadMore(out result);
        result = new ReadResult(_replay, isCanceled: false, isCompleted: false);
        return true;
    }

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_replay.IsEmpty) return await inner.ReadAsync(cancellationToken);
        if (_wantsMore)
        {
            // The reader looked at all of the replayed bytes and wants more: join them with what comes next.
            var next = await inner.ReadAsync(cancellationToken);
            Join(next);
        }
        return new ReadResult(_replay, isCanceled: false, isCompleted: _innerCompleted);
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_replay.IsEmpty)
        {
            inner.AdvanceTo(consumed, examined);
            return;
        }
        _wantsMore = examined.Equals(_replay.End);
        _replay = _replay.Slice(consumed);
        if (_replay.IsEmpty) _wantsMore = false;
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    private bool TryReadMore(out ReadResult result)
    {
        if (!inner.TryRead(out var next))
        {
            result = default;
            return false;
        }
        Join(next);
        result = new ReadResult(_replay, isCanceled: false, isCompleted: _innerCompleted);
        return true;
    }

    private void Join(ReadResult next)
    {
        var joined = new byte[_replay.Length + next.Buffer.Length];
        _replay.CopyTo(joined);
        next.Buffer.CopyTo(joined.AsSpan((int)_replay.Length));
        inner.AdvanceTo(next.Buffer.End);
        _replay = new ReadOnlySequence<byte>(joined);
        _wantsMore = false;
        _innerCompleted = next.IsCompleted;
    }
}
