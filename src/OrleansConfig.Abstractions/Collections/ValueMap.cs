using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using OrleansConfig.Collections;

namespace OrleansConfig;

/// <summary>
/// An immutable string map (labels, annotations, selectors) with value equality and a
/// deterministic key order, so equal maps serialize identically.
/// </summary>
[Immutable, Alias("OrleansConfig.ValueMap")] // written by ValueMapCodec
[JsonConverter(typeof(ValueMapJsonConverter))]
public sealed class ValueMap : IReadOnlyDictionary<string, string>, IEquatable<ValueMap>
{
    /// <summary>The map with no entries, shared by every empty value.</summary>
    public static ValueMap Empty { get; } = new([], []);

    // Parallel arrays sorted by key (ordinal): small, compact, and binary-searchable.
    private readonly string[] _keys;

    private readonly string[] _values;

    private ValueMap(string[] keys, string[] values)
    {
        _keys = keys;
        _values = values;
    }

    // The keys and values as stored (keys in ordinal order), for the compact wire form of snapshot pages.
    internal ReadOnlySpan<string> KeySpan => _keys;

    internal ReadOnlySpan<string> ValueSpan => _values;

    /// <summary>A map of <paramref name="pairs"/> sorted by key; null gives the empty map, and a <see cref="ValueMap"/> is returned as it is.</summary>
    public static ValueMap From(IEnumerable<KeyValuePair<string, string>>? pairs)
    {
        if (pairs is null) return Empty;
        if (pairs is ValueMap map) return map;
        var list = pairs as IReadOnlyCollection<KeyValuePair<string, string>> ?? [.. pairs];
        if (list.Count == 0) return Empty;
        var keys = new string[list.Count];
        var values = new string[list.Count];
        var order = new int[list.Count];
        var i = 0;
        foreach (var (key, value) in list)
        {
            keys[i] = key;
            values[i] = value;
            order[i] = i;
            i++;
        }
        if (keys.Length == 1) return new ValueMap(keys, values);
        // Sorted by key, then by position, so a key given twice keeps its last value (as an assignment would).
        Array.Sort(order, (a, b) => string.CompareOrdinal(keys[a], keys[b]) is var c && c != 0 ? c : a.CompareTo(b));
        var count = 0;
        var sortedKeys = new string[keys.Length];
        var sortedValues = new string[keys.Length];
        foreach (var index in order)
        {
            if (count > 0 && string.Equals(sortedKeys[count - 1], keys[index], StringComparison.Ordinal)) count--;
            sortedKeys[count] = keys[index];
            sortedValues[count] = values[index];
            count++;
        }
        return count == keys.Length ? new ValueMap(sortedKeys, sortedValues) : new ValueMap(sortedKeys[..count], sortedValues[..count]);
    }

    /// <summary>
    /// A map of keys already in ordinal order, each once, with their values (the codecs and the compact wire form of
    /// snapshot pages write them so); adopts the arrays.
    /// </summary>
    internal static ValueMap FromSorted(string[] keys, string[] values) =>
        keys.Length == 0 ? Empty : keys.Length == values.Length
            ? new ValueMap(keys, values)
            : throw new InvalidOperationException($"ValueMap: {keys.Length} keys but {values.Length} values");

    /// <summary>Returns a copy with <paramref name="key"/> set to <paramref name="value"/>.</summary>
    public ValueMap With(string key, string value)
    {
        var index = IndexOf(key);
        if (index >= 0)
        {
            if (_values[index] == value) return this;
            var values = (string[])_values.Clone();
            values[index] = value;
            return new ValueMap(_keys, values);
        }
        var at = ~index;
        var newKeys = new string[_keys.Length + 1];
        var newValues = new string[_keys.Length + 1];
        Array.Copy(_keys, newKeys, at);
        Array.Copy(_values, newValues, at);
        newKeys[at] = key;
        newValues[at] = value;
        Array.Copy(_keys, at, newKeys, at + 1, _keys.Length - at);
        Array.Copy(_values, at, newValues, at + 1, _values.Length - at);
        return new ValueMap(newKeys, newValues);
    }

    /// <summary>The same entries with each key and value passed through <paramref name="map"/> (which must keep it equal,
    /// e.g. an interning pool), so the key order holds.</summary>
    internal ValueMap WithStrings(Func<string, string> map)
    {
        if (_keys.Length == 0) return Empty;
        var keys = new string[_keys.Length];
        var values = new string[_values.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = map(_keys[i]);
            values[i] = map(_values[i]);
        }
        return new ValueMap(keys, values);
    }

    /// <summary>Returns a copy without <paramref name="key"/>.</summary>
    public ValueMap Without(string key)
    {
        var index = IndexOf(key);
        if (index < 0) return this;
        if (_keys.Length == 1) return Empty;
        var newKeys = new string[_keys.Length - 1];
        var newValues = new string[_keys.Length - 1];
        Array.Copy(_keys, newKeys, index);
        Array.Copy(_values, newValues, index);
        Array.Copy(_keys, index + 1, newKeys, index, _keys.Length - index - 1);
        Array.Copy(_values, index + 1, newValues, index, _values.Length - index - 1);
        return new ValueMap(newKeys, newValues);
    }

    private int IndexOf(string key) => Array.BinarySearch(_keys, key, StringComparer.Ordinal);

    /// <summary>How many entries the map holds.</summary>
    public int Count => _keys.Length;

    /// <summary>The value of <paramref name="key"/>; throws <see cref="KeyNotFoundException"/> when it is absent.</summary>
    public string this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <summary>The keys, in ordinal order.</summary>
    public IEnumerable<string> Keys => _keys;

    /// <summary>The values, in the order of their keys.</summary>
    public IEnumerable<string> Values => _values;

    /// <summary>True when the map has <paramref name="key"/>.</summary>
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <summary>Looks <paramref name="key"/> up by binary search.</summary>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var index = IndexOf(key);
        value = index >= 0 ? _values[index] : null;
        return index >= 0;
    }

    /// <summary>The entries in key order; a struct, so a <c>foreach</c> over a map allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<KeyValuePair<string, string>> IEnumerable<KeyValuePair<string, string>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Walks a <see cref="ValueMap"/>'s entries in key order.</summary>
    public struct Enumerator : IEnumerator<KeyValuePair<string, string>>
    {
        private readonly ValueMap _map;
        private int _index;

        internal Enumerator(ValueMap map)
        {
            _map = map;
            _index = -1;
        }

        /// <inheritdoc/>
        public readonly KeyValuePair<string, string> Current => new(_map._keys[_index], _map._values[_index]);

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext() => ++_index < _map._keys.Length;

        /// <inheritdoc/>
        public void Reset() => _index = -1;

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }

    /// <summary>True when <paramref name="other"/> has the same keys with the same values.</summary>
    public bool Equals(ValueMap? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && _keys.AsSpan().SequenceEqual(other._keys) && _values.AsSpan().SequenceEqual(other._values));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ValueMap);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var i = 0; i < _keys.Length; i++)
        {
            hash.Add(_keys[i]);
            hash.Add(_values[i]);
        }
        return hash.ToHashCode();
    }

    /// <summary>The entries as <c>{key=value, ...}</c>, for logs and test messages.</summary>
    public override string ToString() => "{" + string.Join(", ", this.Select(p => $"{p.Key}={p.Value}")) + "}";

    /// <summary>Compares two maps by their entries.</summary>
    public static bool operator ==(ValueMap? left, ValueMap? right) => Equals(left, right);

    /// <summary>Compares two maps by their entries.</summary>
    public static bool operator !=(ValueMap? left, ValueMap? right) => !Equals(left, right);
}
