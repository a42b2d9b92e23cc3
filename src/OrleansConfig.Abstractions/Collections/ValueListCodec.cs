using System.Buffers;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace OrleansConfig.Collections;

/// <summary>
/// Writes a <see cref="ValueList{T}"/> as its count and its items, without recording its array as an object in the
/// message's reference table (see <see cref="ValueMapCodec"/>). Lists written the old way (field 0, the array) are still read.
/// </summary>
[RegisterSerializer]
internal sealed class ValueListCodec<T>(ICodecProvider codecs) : IFieldCodec<ValueList<T>>
{
    private const uint OldItems = 0, CountField = 1, ItemField = 2;

    private IFieldCodec<T>? _items;
    private IFieldCodec<T[]>? _arrays;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, ValueList<T>? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (value is null)
        {
            ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
            return;
        }
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueList<T>));
        UInt32Codec.WriteField(ref writer, CountField, (uint)value.Count);
        var delta = ItemField - CountField;
        foreach (var item in value.AsSpan())
        {
            Items.WriteField(ref writer, delta, typeof(T), item);
            delta = 0;
        }
        writer.WriteEndObject();
    }

    public ValueList<T>? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference) return ReferenceCodec.ReadReference<ValueList<T>, TInput>(ref reader, field);
        field.EnsureWireTypeTagDelimited();
        ReferenceCodec.MarkValueField(reader.Session);
        T[]? items = null;
        var read = 0;
        uint id = 0;
        while (true)
        {
            var header = reader.ReadFieldHeader();
            if (header.IsEndBaseOrEndObject) break;
            id += header.FieldIdDelta;
            switch (id)
            {
                case OldItems:
                    items = Arrays.ReadValue(ref reader, header);
                    read = items?.Length ?? 0;
                    break;
                case CountField:
                    items = new T[checked((int)UInt32Codec.ReadValue(ref reader, header))];
                    break;
                case ItemField when items is not null && read < items.Length:
                    items[read++] = Items.ReadValue(ref reader, header)!;
                    break;
                default:
                    reader.ConsumeUnknownField(header);
                    break;
            }
        }
        if (items is null || items.Length == 0) return ValueList<T>.Empty;
        if (read != items.Length) throw new InvalidOperationException($"ValueList: {read} of {items.Length} items on the wire");
        return new ValueList<T>(items);
    }

    private IFieldCodec<T> Items => _items ??= codecs.GetCodec<T>();

    private IFieldCodec<T[]> Arrays => _arrays ??= codecs.GetCodec<T[]>();
}
