namespace OrleansConfig;

/// <summary>Kubernetes' <c>IntOrString</c>, used by <c>targetPort</c>.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.IntOrString")]
public readonly record struct IntOrString
{
    [Id(0)] public int? IntValue { get; init; }
    [Id(1)] public string? StringValue { get; init; }

    public bool IsInt => StringValue is null;

    public static implicit operator IntOrString(int value) => new() { IntValue = value };

    public static implicit operator IntOrString(string value) => new() { StringValue = value };

    public override string ToString() => StringValue ?? IntValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
