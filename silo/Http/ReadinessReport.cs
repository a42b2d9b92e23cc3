namespace OrleansConfig.Silo.Http;

/// <summary>The body of <c>/readyz</c>: ready, or the first reason it is not, with every source this silo runs.</summary>
internal sealed record ReadinessReport(bool Ready, string? Reason, string Silo, IReadOnlyList<SourceReadiness> Sources);
