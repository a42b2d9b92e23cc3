using System.Collections;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using OrleansConfig.Collections;

namespace OrleansConfig;

/// <summary>An immutable list with value equality, so model records compare by content.</summary>
[Immutable, Alias("OrleansConfig.ValueList`1")] // written by ValueListCodec
[CollectionBuilder(typeof(ValueList), nameof(ValueList.Create))]
[JsonConverter(typeof(ValueListJsonConverterFactory))]
public sealed class ValueList<T> : IReadOnlyList<T>, IEquatable<ValueList<T>>
{
    /// <summary>The list with no items, shared by every empty value.</summary>
    public static ValueList<T> Empty { get; } = new([]);

    private readonly T[] _items;

    internal ValueList(T[] items) => _items = items;

    /// <summary>How many items the list holds.</summary>
    public int Count => _items.Length;

    /// <summary>The item at <paramref name="index"/>.</summary>
    public T this[int index] => _items[index];

    /// <summary>The items as a span, without copying them.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <summary>True when <paramref name="other"/> holds equal items in the same order.</summary>
    public bool Equals(ValueList<T>? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._items.Length != _items.Length) return false;
        var comparer = EqualityComparer<T>.Default;
        for (var i = 0; i < _items.Length; i++)
        {
            if (!comparer.Equals(_items[i], other._items[i])) return false;
        }
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ValueList<T>);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    /// <summary>The items, comma-separated in brackets, for logs and test messages.</summary>
    public override string ToString() => $"[{string.Join(", ", _items)}]";

    /// <summary>Compares two lists by their items.</summary>
    public static bool operator ==(ValueList<T>? left, ValueList<T>? right) => Equals(left, right);

    /// <summary>Compares two lists by their items.</summary>
    public static bool operator !=(ValueList<T>? left, ValueList<T>? right) => !Equals(left, right);
}

/// <summary>Makes <see cref="ValueList{T}"/> values; also the builder behind collection expressions such as <c>[a, b]</c>.</summary>
public static class ValueList
{
    /// <summary>A list of a copy of <paramref name="items"/> (the shared empty list when there are none).</summary>
    public static ValueList<T> Create<T>(ReadOnlySpan<T> items) =>
        items.IsEmpty ? ValueList<T>.Empty : new ValueList<T>(items.ToArray());

    /// <summary>A list of <paramref name="items"/>; null gives the empty list, and a <see cref="ValueList{T}"/> is returned as it is.</summary>
    public static ValueList<T> From<T>(IEnumerable<T>? items) => items switch
    {
        null => ValueList<T>.Empty,
        ValueList<T> list => list,
        _ => Create<T>(items.ToArray()),
    };
}
