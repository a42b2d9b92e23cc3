using System.Buffers;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace OrleansConfig.Collections;

/// <summary>
/// Writes a <see cref="ValueMap"/> as its count and its strings. The generated codec wrote its two arrays as objects,
/// and Orleans records every such object in a table per message (a dictionary allocated afresh for each message of more
/// than 64): a Service has three maps, so a stream delivery or snapshot page spent more on that table than on its
/// strings. Maps written the old way (fields 0 and 1, the arrays) are still read, so stored journals and snapshots load.
/// </summary>
[RegisterSerializer]
internal sealed class ValueMapCodec(ICodecProvider codecs) : IFieldCodec<ValueMap>
{
    private const uint OldKeys = 0, OldValues = 1, CountField = 2, StringField = 3;

    private IFieldCodec<string[]>? _arrays;

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, ValueMap? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (value is null)
        {
            ReferenceCodec.WriteNullReference(ref writer, fieldIdDelta);
            return;
        }
        ReferenceCodec.MarkValueField(writer.Session);
        writer.WriteStartObject(fieldIdDelta, expectedType, typeof(ValueMap));
        UInt32Codec.WriteField(ref writer, CountField, (uint)value.Count);
        var delta = StringField - CountField;
        var keys = value.KeySpan;
        var values = value.ValueSpan;
        for (var i = 0; i < keys.Length; i++)
        {
            StringCodec.WriteField(ref writer, delta, keys[i]);
            StringCodec.WriteField(ref writer, 0, values[i]);
            delta = 0;
        }
        writer.WriteEndObject();
    }

    public ValueMap? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference) return ReferenceCodec.ReadReference<ValueMap, TInput>(ref reader, field);
        field.EnsureWireTypeTagDelimited();
        ReferenceCodec.MarkValueField(reader.Session);
        string[]? keys = null, values = null;
        var read = 0;
        var expected = -1;
        uint id = 0;
        while (true)
        {
            var header = reader.ReadFieldHeader();
            if (header.IsEndBaseOrEndObject) break;
            id += header.FieldIdDelta;
            switch (id)
            {
                case OldKeys:
                    keys = Arrays.ReadValue(ref reader, header);
                    break;
                case OldValues:
                    values = Arrays.ReadValue(ref reader, header);
                    break;
                case CountField:
                    expected = checked(2 * (int)UInt32Codec.ReadValue(ref reader, header));
                    keys = new string[expected / 2];
                    values = new string[expected / 2];
                    break;
                case StringField when read < expected:
                    // Keys and values alternate.
                    (read % 2 == 0 ? keys! : values!)[read / 2] = StringCodec.ReadValue(ref reader, header) ?? "";
                    read++;
                    break;
                default:
                    reader.ConsumeUnknownField(header);
                    break;
            }
        }
        if (read != Math.Max(expected, 0)) throw new InvalidOperationException($"ValueMap: {read} of {expected} strings on the wire");
        // Written sorted by a map, so taken as they are.
        return ValueMap.FromSorted(keys ?? [], values ?? []);
    }

    private IFieldCodec<string[]> Arrays => _arrays ??= codecs.GetCodec<string[]>();
}
