namespace OrleansConfig.Silo.Http;

/// <summary>One source this silo runs, as <c>/readyz</c> reports it.</summary>
internal sealed record SourceReadiness(string Name, string Type, bool Synced, string? LastError);
