namespace OrleansConfig;

/// <summary>Kubernetes' <c>IntOrString</c>, used by <c>targetPort</c>.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.IntOrString")]
public readonly record struct IntOrString
{
    /// <summary>The number, when the value is a number.</summary>
    [Id(0)] public int? IntValue { get; init; }
    /// <summary>The name, when the value is a port name.</summary>
    [Id(1)] public string? StringValue { get; init; }

    /// <summary>True when the value is a number.</summary>
    public bool IsInt => StringValue is null;

    /// <summary>A port number.</summary>
    public static implicit operator IntOrString(int value) => new() { IntValue = value };

    /// <summary>A port name.</summary>
    public static implicit operator IntOrString(string value) => new() { StringValue = value };

    /// <summary>The number or the name, as Kubernetes prints it.</summary>
    public override string ToString() => StringValue ?? IntValue?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
