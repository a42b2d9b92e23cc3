namespace OrleansConfig.Validation;

/// <summary>Collects every error found while walking one input, each at the current <see cref="FieldPath"/>.</summary>
internal sealed class FieldErrorList(string prefix = "")
{
    public FieldPath Path { get; } = new(prefix);

    public List<FieldError> Errors { get; } = [];

    public int Count => Errors.Count;

    public void Add(string message) => Errors.Add(new FieldError(Path.ToString(), message));

    public void AddAt(string field, string message)
    {
        using (Path.Field(field)) Add(message);
    }
}
