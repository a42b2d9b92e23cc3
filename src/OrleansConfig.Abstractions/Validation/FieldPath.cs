using System.Text;

namespace OrleansConfig.Validation;

/// <summary>
/// The path of the field being read or validated (<c>items[2].spec.ports[0].port</c>), kept as one growing
/// buffer so walking a large manifest allocates a path string only when an error is reported.
/// </summary>
internal sealed class FieldPath
{
    private readonly StringBuilder _text;

    public FieldPath(string prefix = "") => _text = new StringBuilder(prefix, 64);

    public Scope Field(string name)
    {
        var length = _text.Length;
        if (length > 0) _text.Append('.');
        _text.Append(name);
        return new Scope(this, length);
    }

    public Scope Index(int index)
    {
        var length = _text.Length;
        _text.Append('[').Append(index).Append(']');
        return new Scope(this, length);
    }

    /// <summary>A map key, written <c>[key]</c> as Kubernetes does, since keys may hold dots and slashes.</summary>
    public Scope Key(string key)
    {
        var length = _text.Length;
        _text.Append('[').Append(key).Append(']');
        return new Scope(this, length);
    }

    public override string ToString() => _text.ToString();

    /// <summary>Restores the path when a child scope ends; a struct so <c>using</c> costs no allocation.</summary>
    public readonly struct Scope(FieldPath path, int length) : IDisposable
    {
        public void Dispose() => path._text.Length = length;
    }
}
