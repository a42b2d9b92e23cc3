namespace OrleansConfig;

/// <summary>The outcome of <see cref="ISourceGrain.Apply"/>.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.ApplyResult")]
public sealed record ApplyResult
{
    /// <summary>False when the update was refused; <see cref="Errors"/> says why and nothing changed.</summary>
    [Id(0)] public bool Accepted { get; init; }

    /// <summary>True when the update changed the source's state (and so the union).</summary>
    [Id(1)] public bool Changed { get; init; }

    /// <summary>The source's sequence number after the update.</summary>
    [Id(2)] public long Sequence { get; init; }

    /// <summary>Why the update was refused: every field error, each with its path; empty when accepted.</summary>
    [Id(3)] public IReadOnlyList<FieldError> Errors { get; init; } = [];

    /// <summary>A refusal with <paramref name="errors"/>.</summary>
    public static ApplyResult Rejected(IReadOnlyList<FieldError> errors) => new() { Accepted = false, Errors = errors };
}
