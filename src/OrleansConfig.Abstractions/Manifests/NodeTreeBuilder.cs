using OrleansConfig.Validation;

namespace OrleansConfig.Manifests;

/// <summary>
/// Builds one document's <see cref="ManifestNode"/> tree from a stream of start/key/value/end calls, as the
/// JSON and YAML parsers produce them, without recursion, so a hostile nesting depth costs a counter, not a
/// stack. It enforces the depth limit and a budget of nodes (which aliases would otherwise multiply), and
/// refuses duplicate keys.
/// </summary>
internal sealed class NodeTreeBuilder(int maxDepth, long maxNodes)
{
    public const string MergeKey = "<<";

    private readonly List<Frame> _frames = [];
    private long _nodes;

    public ManifestNode? Root { get; private set; }

    /// <summary>Errors that leave the tree usable (duplicate keys, bad merges), with paths from the document root.</summary>
    public List<FieldError> Errors { get; } = [];

    /// <summary>Why the last <see cref="Start"/> or <see cref="Value"/> returned false.</summary>
    public string LimitError { get; private set; } = "";

    public bool ExpectsKey => _frames.Count > 0 && _frames[^1].Node.Kind == ManifestNodeKind.Map && _frames[^1].Key is null;

    public void Reset()
    {
        _frames.Clear();
        Root = null;
    }

    public bool Start(ManifestNode container)
    {
        if (_frames.Count + 1 > maxDepth)
        {
            LimitError = $"document is nested deeper than the limit of {maxDepth} levels";
            return false;
        }
        if (!Count(1)) return false;
        _frames.Add(new Frame(container));
        return true;
    }

    /// <summary>Sets the key of the top map's next value; <paramref name="merge"/> marks a YAML merge key.</summary>
    public void Key(string key, bool merge = false)
    {
        var frame = _frames[^1];
        frame.Key = key;
        frame.IsMerge = merge;
        frame.IsDuplicate = !merge && !frame.AddKey(key);
        if (frame.IsDuplicate) AddError(PathOf(_frames.Count), $"duplicate key {ErrorText.Quote(key)}");
    }

    /// <summary>Adds a finished node: a scalar, or (for a YAML alias) a whole subtree shared with its anchor.</summary>
    public bool Value(ManifestNode node)
    {
        if (_frames.Count + node.Height > maxDepth)
        {
            LimitError = $"document is nested deeper than the limit of {maxDepth} levels";
            return false;
        }
        if (!Count(node.Size)) return false;
        Attach(node);
        return true;
    }

    public ManifestNode End()
    {
        var frame = _frames[^1];
        _frames.RemoveAt(_frames.Count - 1);
        if (frame.MergeSources is not null) Merge(frame);
        var node = frame.Node;
        node.Size = frame.Size;
        node.Height = frame.Height + 1;
        Attach(node);
        return node;
    }

    private bool Count(long nodes)
    {
        _nodes += nodes;
        if (_nodes <= maxNodes) return true;
        LimitError = $"document expands to more than the limit of {maxNodes} values (too many aliases)";
        return false;
    }

    private void Attach(ManifestNode node)
    {
        if (_frames.Count == 0)
        {
            Root = node;
            return;
        }
        var parent = _frames[^1];
        parent.Size += node.Size;
        parent.Height = Math.Max(parent.Height, node.Height);
        if (parent.Node.Items is { } items)
        {
            items.Add(node);
            return;
        }
        if (parent.IsMerge) (parent.MergeSources ??= []).Add(node);
        else if (!parent.IsDuplicate) parent.Node.Entries!.Add(new(parent.Key!, node));
        parent.Key = null;
    }

    /// <summary>
    /// Applies YAML merge keys (<c>&lt;&lt;: *base</c>) once the map is complete: keys written in the map win,
    /// then earlier merged maps over later ones, as the YAML merge type specifies.
    /// </summary>
    private void Merge(Frame frame)
    {
        foreach (var source in frame.MergeSources!)
        {
            var maps = source.Kind == ManifestNodeKind.Sequence ? source.Items! : [source];
            foreach (var map in maps)
            {
                if (map.Entries is null)
                {
                    AddError(PathOf(_frames.Count + 1),
                        $"merge key \"<<\" must refer to an object or a list of objects, got {map.Describe()}");
                    continue;
                }
                foreach (var entry in map.Entries)
                {
                    if (frame.AddKey(entry.Key))
                    {
                        frame.Node.Entries!.Add(entry);
                        frame.Size += entry.Value.Size;
                    }
                }
            }
        }
    }

    private void AddError(string path, string message) => Errors.Add(new FieldError(path, message));

    /// <summary>The path of the container at <paramref name="depth"/> (1 = the root), built only for an error.</summary>
    private string PathOf(int depth)
    {
        var path = new FieldPath();
        for (var i = 1; i < depth && i <= _frames.Count; i++)
        {
            var parent = _frames[i - 1];
            if (parent.Node.Items is { } items)
            {
                path.Index(items.Count);
            }
            else if (IsPlainName(parent.Key!))
            {
                path.Field(parent.Key!);
            }
            else
            {
                path.Key(parent.Key!);
            }
        }
        return path.ToString();
    }

    private static bool IsPlainName(string key)
    {
        if (key.Length == 0) return false;
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        }
        return true;
    }

    private sealed class Frame(ManifestNode node)
    {
        // Small maps are checked for duplicates by a scan; a set pays off only for large ones.
        private const int LinearScanLimit = 16;

        private HashSet<string>? _keys;

        public ManifestNode Node { get; } = node;
        public string? Key { get; set; }
        public bool IsMerge { get; set; }
        public bool IsDuplicate { get; set; }
        public List<ManifestNode>? MergeSources { get; set; }
        public long Size { get; set; } = 1;
        public int Height { get; set; }

        /// <summary>Returns false when the map already holds <paramref name="key"/>.</summary>
        public bool AddKey(string key)
        {
            var entries = Node.Entries!;
            if (_keys is null)
            {
                foreach (var entry in entries)
                {
                    if (entry.Key == key) return false;
                }
                if (entries.Count < LinearScanLimit) return true;
                _keys = new HashSet<string>(StringComparer.Ordinal);
                foreach (var entry in entries) _keys.Add(entry.Key);
            }
            return _keys.Add(key);
        }
    }
}
