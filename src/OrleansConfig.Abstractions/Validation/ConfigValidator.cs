namespace OrleansConfig;

// Interim: replaced by the full Kubernetes rule set from the manifest branch.
public static class ConfigValidator
{
    public static IReadOnlyList<FieldError> Validate(Service service, string path = "")
    {
        List<FieldError> errors = [];
        if (string.IsNullOrEmpty(service.Metadata.Name)) errors.Add(new($"{path}.metadata.name", "required"));
        for (var i = 0; i < service.Spec.Ports.Count; i++)
        {
            var port = service.Spec.Ports[i].Port;
            if (port is < 1 or > 65535) errors.Add(new($"{path}.spec.ports[{i}].port", $"must be between 1 and 65535, got {port}"));
        }
        return errors;
    }

    public static IReadOnlyList<FieldError> Validate(Endpoints endpoints, string path = "")
    {
        List<FieldError> errors = [];
        if (string.IsNullOrEmpty(endpoints.Metadata.Name)) errors.Add(new($"{path}.metadata.name", "required"));
        return errors;
    }
}
