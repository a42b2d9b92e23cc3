using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OrleansConfig.Manifests;

/// <summary>
/// Reads a YAML stream into one <see cref="ManifestNode"/> tree per document from YamlDotNet's event parser,
/// which, unlike its representation model, neither recurses nor expands aliases, so depth and alias
/// expansion are counted and refused here before they cost anything.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>go-yaml's bounds (v2 decode.go, "excessive aliasing"): small documents need this many nodes before the
    /// ratio applies.</summary>
    private const long AliasCheckMinNodes = 1000;
    private const long AliasCheckMinAliased = 100;
    private const long AliasRatioRangeLow = 400_000;
    private const long AliasRatioRangeHigh = 4_000_000;

    public static List<ManifestDocument> Read(string text, ManifestLimits limits)
    {
        var parser = new Parser(new StringReader(text));
        // Each node costs at least a byte of input, so a budget of MaxBytes nodes never refuses an alias-free
        // document, and aliases can expand a document no further than the largest one accepted anyway.
        var builder = new NodeTreeBuilder(limits.MaxDepth, limits.MaxBytes);
        var scalars = new ScalarCache();
        var anchors = new Dictionary<string, ManifestNode>(StringComparer.Ordinal);
        var openAnchors = new Stack<AnchorName>();
        var documents = new List<ManifestDocument>();
        var position = Mark.Empty;
        // Nodes written in the document and nodes its aliases stand for, counted before the aliases' targets are ever walked.
        long written = 0, aliased = 0;
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                position = current.Start;
                switch (current)
                {
                    case DocumentStart:
                        if (documents.Count >= limits.MaxItems)
                        {
                            throw Refused(position, $"more than the limit of {limits.MaxItems} documents");
                        }
                        builder.Reset();
                        anchors.Clear();
                        written = aliased = 0;
                        break;
                    case DocumentEnd:
                        documents.Add(new ManifestDocument(builder.Root, [.. builder.Errors]));
                        builder.Errors.Clear();
                        break;
                    case Scalar scalar when builder.ExpectsKey:
                        written++;
                        // YAML merge keys are plain "<<"; a quoted "<<" is an ordinary key.
                        builder.Key(scalar.Value, merge: scalar.Value == NodeTreeBuilder.MergeKey && scalar.Style == ScalarStyle.Plain);
                        Anchor(anchors, scalar.Anchor, scalars.String(scalar.Value));
                        break;
                    case Scalar scalar:
                        written++;
                        var node = YamlScalars.Resolve(scalar, scalars);
                        if (!builder.Value(node)) throw Refused(position, builder.LimitError);
                        Anchor(anchors, scalar.Anchor, node);
                        break;
                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out var target))
                        {
                            throw Invalid(position, $"unknown anchor \"{alias.Value.Value}\" (an alias must follow its anchor's node)");
                        }
                        aliased += builder.ExpectsKey ? 1 : target.Size;
                        if (IsExcessive(written, aliased))
                        {
                            throw Refused(position, $"document: excessive aliasing: aliases expand to {aliased} nodes from {written}");
                        }
                        if (!builder.ExpectsKey)
                        {
                            if (!builder.Value(target)) throw Refused(position, builder.LimitError);
                        }
                        else if (target.IsContainer)
                        {
                            throw Invalid(position, "a map key must be a scalar, not an object or a list");
                        }
                        else
                        {
                            builder.Key(target.Text);
                        }
                        break;
                    case NodeEvent container and (MappingStart or SequenceStart):
                        if (builder.ExpectsKey) throw Invalid(position, "a map key must be a scalar, not an object or a list");
                        written++;
                        var started = builder.Start(container is MappingStart ? ManifestNode.Map() : ManifestNode.Sequence());
                        if (!started) throw Refused(position, builder.LimitError);
                        openAnchors.Push(container.Anchor);
                        break;
                    case MappingEnd or SequenceEnd:
                        // Anchored containers are registered complete, so an alias inside its own anchor is unknown.
                        Anchor(anchors, openAnchors.Pop(), builder.End());
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            throw Invalid(ex.Start, ex.Message);
        }
        catch (Exception ex) when (ex is not ManifestException and not OutOfMemoryException)
        {
            // YamlDotNet throws plain exceptions for some malformed input (an unclosed '[' across lines);
            // any failure of the parser is the input's, reported at the last position it reached.
            throw Invalid(position, "malformed document near here");
        }
        return documents;
    }

    /// <summary>
    /// True when aliases make up too much of what the document expands to: up to 99% of a document of up to 400,000
    /// nodes, falling smoothly to 10% from 4,000,000 on (so aliases add at most about 400,000 nodes to a large one).
    /// </summary>
    private static bool IsExcessive(long written, long aliased)
    {
        var total = written + aliased;
        if (aliased <= AliasCheckMinAliased || total <= AliasCheckMinNodes) return false;
        var allowed = total <= AliasRatioRangeLow ? 0.99
            : total >= AliasRatioRangeHigh ? 0.10
            : 0.99 - 0.89 * ((double)(total - AliasRatioRangeLow) / (AliasRatioRangeHigh - AliasRatioRangeLow));
        return (double)aliased / total > allowed;
    }

    private static void Anchor(Dictionary<string, ManifestNode> anchors, AnchorName name, ManifestNode node)
    {
        if (!name.IsEmpty) anchors[name.Value] = node;
    }

    /// <summary>A document that is valid YAML but over a limit.</summary>
    private static ManifestException Refused(Mark position, string message) =>
        new([new FieldError("", $"{message} (line {position.Line}, column {position.Column})")]);

    private static ManifestException Invalid(Mark position, string message) =>
        new([new FieldError("", $"invalid YAML at line {position.Line}, column {position.Column}: {message}")]);
}
