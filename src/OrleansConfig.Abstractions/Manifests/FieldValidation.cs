namespace OrleansConfig;

/// <summary>
/// What <see cref="Manifest.Parse(string, FieldValidation, ManifestLimits?)"/> does with a field Kubernetes does not
/// know for its kind (a typo such as <c>spec.sessionAffinty</c>), as the API server's <c>fieldValidation</c> does.
/// Fields Kubernetes knows but this model leaves out (<c>metadata.uid</c>, <c>spec.ipFamilies</c>) are never reported.
/// </summary>
public enum FieldValidation
{
    /// <summary>Drop unknown fields silently.</summary>
    Ignore,

    /// <summary>Drop unknown fields and name each in <see cref="Manifest.Warnings"/>.</summary>
    Warn,

    /// <summary>Refuse the input: each unknown field is an error of the <see cref="ManifestException"/>.</summary>
    Strict,
}
