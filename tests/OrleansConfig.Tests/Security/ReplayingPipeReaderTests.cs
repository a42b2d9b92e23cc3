using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using OrleansConfig.Security;
using Xunit;

namespace OrleansConfig.Tests.Security;

/// <summary>The gateway gate reads a client's preamble off the connection and hands the same bytes on with this reader.</summary>
public sealed class ReplayingPipeReaderTests
{
    private static string Text(ReadOnlySequence<byte> bytes) => Encoding.ASCII.GetString(bytes.ToArray());

    [Fact]
    public async Task Gives_the_replayed_bytes_first_then_the_connection_itself()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync("rest"u8.ToArray());
        var reader = new ReplayingPipeReader("preamble"u8.ToArray(), pipe.Reader);

        var first = await reader.ReadAsync();
        Assert.Equal("preamble", Text(first.Buffer));
        reader.AdvanceTo(first.Buffer.End);
        var second = await reader.ReadAsync();

        Assert.Equal("rest", Text(second.Buffer));
    }

    [Fact]
    public async Task A_reader_that_consumes_the_replay_in_parts_gets_each_part_once()
    {
        var pipe = new Pipe();
        var reader = new ReplayingPipeReader("abcdef"u8.ToArray(), pipe.Reader);

        var first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.GetPosition(2), first.Buffer.GetPosition(2));
        var second = await reader.ReadAsync();

        Assert.Equal("cdef", Text(second.Buffer));
    }

    [Fact]
    public async Task A_reader_that_examined_all_of_the_replay_gets_it_joined_with_what_comes_next()
    {
        var pipe = new Pipe();
        var reader = new ReplayingPipeReader("frame-st"u8.ToArray(), pipe.Reader);

        var partial = await reader.ReadAsync();
        reader.AdvanceTo(partial.Buffer.Start, partial.Buffer.End);
        var pending = reader.ReadAsync();
        Assert.False(pending.IsCompleted);
        await pipe.Writer.WriteAsync("art"u8.ToArray());
        var joined = await pending;

        Assert.Equal("frame-start", Text(joined.Buffer));
        reader.AdvanceTo(joined.Buffer.End);
        await pipe.Writer.WriteAsync("next"u8.ToArray());
        Assert.Equal("next", Text((await reader.ReadAsync()).Buffer));
    }

    [Fact]
    public async Task A_connection_that_ends_after_the_replay_reports_its_end()
    {
        var pipe = new Pipe();
        var reader = new ReplayingPipeReader("x"u8.ToArray(), pipe.Reader);
        var first = await reader.ReadAsync();
        reader.AdvanceTo(first.Buffer.Start, first.Buffer.End);
        await pipe.Writer.CompleteAsync();

        var last = await reader.ReadAsync();

        Assert.True(last.IsCompleted);
        Assert.Equal("x", Text(last.Buffer));
    }
}
