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
        foreach (var (key, item) in value)
        {
            StringCodec.WriteField(ref writer, delta, key);
            StringCodec.WriteField(ref writer, 0, item);
            delta = 0;
        }
        writer.WriteEndObject();
    }

    public ValueMap? ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference) return ReferenceCodec.ReadReference<ValueMap, TInput>(ref reader, field);
        field.EnsureWireTypeTagDelimited();
        ReferenceCodec.MarkValueField(reader.Session);
        string[]? keys = null, values = null, strings = null;
        var read = 0;
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
                    strings = new string[checked(2 * (int)UInt32Codec.ReadValue(ref reader, header))];
                    break;
                case StringField when strings is not null && read < strings.Length:
                    strings[read++] = StringCodec.ReadValue(ref reader, header) ?? "";
                    break;
                default:
                    reader.ConsumeUnknownField(header);
                    break;
            }
        }
        if (strings is not null)
        {
            if (read != strings.Length) throw new InvalidOperationException($"ValueMap: {read} of {strings.Length} strings on the wire");
            var count = strings.Length / 2;
            keys = new string[count];
            values = new string[count];
            for (var i = 0; i < count; i++)
            {
                keys[i] = strings[2 * i];
                values[i] = strings[(2 * i) + 1];
            }
        }
        // Written sorted by a map, so taken as they are.
        return ValueMap.FromSorted(keys ?? [], values ?? []);
    }

    private IFieldCodec<string[]> Arrays => _arrays ??= codecs.GetCodec<string[]>();
}
