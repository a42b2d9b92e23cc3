using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using OrleansConfig.Manifests;
using OrleansConfig.Manifests.Json;

namespace OrleansConfig;

/// <summary>
/// The Services, Endpoints and EndpointSlices a manifest holds: a single object, a <c>List</c> (<c>ServiceList</c>,
/// <c>EndpointsList</c>, <c>EndpointSliceList</c>) or multi-document YAML, in the Kubernetes JSON or YAML shape
/// (v1, and <c>discovery.k8s.io/v1</c> for slices).
/// </summary>
public sealed record Manifest(IReadOnlyList<Service> Services, IReadOnlyList<Endpoints> Endpoints)
{
    private static readonly JsonWriterOptions CompactWriter = new()
    {
        // Kubernetes' own output keeps non-ASCII text readable; these files are not embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonWriterOptions IndentedWriter = CompactWriter with { Indented = true, NewLine = "\n" };

    /// <summary>A manifest with no items.</summary>
    public static Manifest Empty { get; } = new(ValueList<Service>.Empty, ValueList<Endpoints>.Empty);

    /// <summary>
    /// With <see cref="FieldValidation.Warn"/>, each field Kubernetes does not know, as the API server words it:
    /// <c>unknown field "items[2].spec.sessionAffinty"</c>. Not part of equality.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The <c>discovery.k8s.io/v1</c> EndpointSlices; a source merges a Service's slices into its Endpoints.</summary>
    public IReadOnlyList<EndpointSlice> EndpointSlices { get; init; } = ValueList<EndpointSlice>.Empty;

    /// <summary>Reads and validates a manifest, ignoring unknown fields; throws <see cref="ManifestException"/> naming
    /// every error.</summary>
    public static Manifest Parse(string jsonOrYaml) => Parse(jsonOrYaml, FieldValidation.Ignore, ManifestLimits.Default);

    /// <inheritdoc cref="Parse(string)"/>
    public static Manifest Parse(string jsonOrYaml, ManifestLimits limits) => Parse(jsonOrYaml, FieldValidation.Ignore, limits);

    /// <summary>
    /// Reads and validates a manifest; unknown fields are dropped, named in <see cref="Warnings"/>, or refused
    /// (<c>spec.sessionAffinty: unknown field</c>) as <paramref name="fieldValidation"/> says.
    /// </summary>
    public static Manifest Parse(string jsonOrYaml, FieldValidation fieldValidation, ManifestLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(jsonOrYaml);
        limits ??= ManifestLimits.Default;
        var bytes = Encoding.UTF8.GetByteCount(jsonOrYaml);
        if (bytes > limits.MaxBytes)
        {
            throw new ManifestException([new FieldError("", $"input is {bytes} bytes, more than the limit of {limits.MaxBytes} bytes")]);
        }
        var text = jsonOrYaml.StartsWith('\uFEFF') ? jsonOrYaml[1..] : jsonOrYaml;
        var first = text.AsSpan().TrimStart();
        var documents = !first.IsEmpty && first[0] is '{' or '['
            ? [JsonTreeReader.Read(text, limits)]
            : YamlTreeReader.Read(text, limits);
        return new ManifestReader(limits, fieldValidation).Read(documents);
    }

    /// <summary>
    /// Writes a Kubernetes <c>List</c> (Services first, then Endpoints), omitting nulls and empty lists and
    /// maps as kubectl does. Annotations are written as they are, so union items keep their source.
    /// </summary>
    public static string ToJson(IEnumerable<Service> services, IEnumerable<Endpoints> endpoints, bool indented = false) =>
        ToJson(services, endpoints, [], indented);

    /// <summary>
    /// Writes a Kubernetes <c>List</c>: Services, then Endpoints, then EndpointSlices (as <c>discovery.k8s.io/v1</c>).
    /// </summary>
    public static string ToJson(
        IEnumerable<Service> services, IEnumerable<Endpoints> endpoints, IEnumerable<EndpointSlice> slices, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(slices);
        return Write(indented, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("apiVersion", "v1");
            writer.WriteString("kind", "List");
            writer.WriteStartArray("items");
            foreach (var service in services)
            {
                JsonSerializer.Serialize(writer, ServiceDto.From(service), ManifestJsonContext.Default.ServiceDto);
            }
            foreach (var item in endpoints)
            {
                JsonSerializer.Serialize(writer, EndpointsDto.From(item), ManifestJsonContext.Default.EndpointsDto);
            }
            foreach (var slice in slices)
            {
                JsonSerializer.Serialize(writer, EndpointSliceDto.From(slice), ManifestJsonContext.Default.EndpointSliceDto);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>Writes one Service as a Kubernetes v1 object.</summary>
    public static string ToJson(Service service, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(service);
        return Write(indented, writer =>
            JsonSerializer.Serialize(writer, ServiceDto.From(service), ManifestJsonContext.Default.ServiceDto));
    }

    /// <summary>Writes one Endpoints as a Kubernetes v1 object.</summary>
    public static string ToJson(Endpoints endpoints, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return Write(indented, writer =>
            JsonSerializer.Serialize(writer, EndpointsDto.From(endpoints), ManifestJsonContext.Default.EndpointsDto));
    }

    /// <summary>Writes one EndpointSlice as a Kubernetes <c>discovery.k8s.io/v1</c> object.</summary>
    public static string ToJson(EndpointSlice slice, bool indented = false)
    {
        ArgumentNullException.ThrowIfNull(slice);
        return Write(indented, writer =>
            JsonSerializer.Serialize(writer, EndpointSliceDto.From(slice), ManifestJsonContext.Default.EndpointSliceDto));
    }

    /// <summary>This manifest as a Kubernetes <c>List</c>.</summary>
    public string ToJson(bool indented = false) => ToJson(Services, Endpoints, EndpointSlices, indented);

    /// <summary>Compares the items, not the list instances, so a parsed manifest equals the one it came from.</summary>
    public bool Equals(Manifest? other) =>
        other is not null && Services.SequenceEqual(other.Services) && Endpoints.SequenceEqual(other.Endpoints)
        && EndpointSlices.SequenceEqual(other.EndpointSlices);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var service in Services) hash.Add(service);
        foreach (var item in Endpoints) hash.Add(item);
        foreach (var slice in EndpointSlices) hash.Add(slice);
        return hash.ToHashCode();
    }

    private static string Write(bool indented, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, indented ? IndentedWriter : CompactWriter))
        {
            write(writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
