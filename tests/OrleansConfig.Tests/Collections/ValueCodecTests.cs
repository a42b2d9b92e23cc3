using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Xunit;

namespace OrleansConfig.Tests.Collections;

/// <summary>ValueMap and ValueList on Orleans' wire: every field round-trips, and what the generated codecs wrote still reads.</summary>
public sealed class ValueCodecTests
{
    /// <summary>
    /// <see cref="WireFixtures.Delta"/> as the generated codecs wrote it (before ValueMapCodec and ValueListCodec): what
    /// journals and snapshots stored in Redis hold.
    /// </summary>
    private const string GeneratedWire =
        "IOhACWV0Y2QBAQEBMQFj05mRa1JlYWRPbmx5TGlzdEludGVyZmFjZUNvZGVjYDFbW09ybGVhbnNDb25maWcuU2VydmljZV1dAAUh"
        + "6CDoQAd3ZWJBCXNob3AhIAAFQQdhcHBACXRpZXLgIQAFwRNAC2Zyb2504OAhIAAFQQlub3RlQDFvcmxlYW5zLWNvbmZpZy5pby9z"
        + "b3VyY2XgIQAFQQHABeDg4CHowAFBFTEwLjk2LjAuMTAhIODgISAABSHoQAlodHRwQQdUQ1ABggIh6ACC/MEB4MEBwQHgIOhAB3Rs"
        + "c8FPAdoNwQHBAcEB4ODgISAAA8Ed4CEAA8ET4ODBAcEBIcBD4MEBwQHBAcEB4MEB4CDoIOhAC2VtcHR5wRUhwEPBQ+AhwEPBQ+Dg"
        + "IejAAcEBIcBD4CEg4OAhwEPBQ+DBAcEBIcBD4MEBwQHBAcEB4MEB4OAxAXYd9s9vUmVhZE9ubHlMaXN0SW50ZXJmYWNlQ29kZWNg"
        + "MVtbT3JsZWFuc0NvbmZpZy5PYmplY3RLZXldXQADIejAFUEHb2xk4OAxAS148XdvUmVhZE9ubHlMaXN0SW50ZXJmYWNlQ29kZWNg"
        + "MVtbT3JsZWFuc0NvbmZpZy5FbmRwb2ludHNdXQADIegg6MATwRUhIAADwR3gIQADwRPg4CHAQ8FD4OAhIAADIeggIAAFIehAETEw"
        + "LjEuMC4xwQFBDW5vZGUtYQEDAQFBBXoxISAABcESAkAFejLg4CHoQAdQb2TBFUELd2ViLTHBAeDgIOhAETEwLjEuMC4ywQHBAcEB"
        + "wQHBASHAQ+DBAeDg4CEgAAMh6EARMTAuMS4wLjNBC3dlYi0zwQHBAcEBwQEhwEPgwQHg4OAhIAADIejATQGC/MFP4ODg4ODg4OAx"
        + "AU5GQC4zT3JsZWFuc0NvbmZpZy5PYmplY3RLZXlbXeAhgAAAAAAAAAAAgQAAAAAAAAAA4EEhAAAAAAAAAAAAAAAAAAAAAOA=";

    private static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void A_delta_with_every_collection_field_set_round_trips_exactly()
    {
        var delta = WireFixtures.Delta();

        var read = Serializer.Deserialize<SourceDelta>(Serializer.SerializeToArray(delta))!;

        Assert.Equal(delta.UpsertedServices, read.UpsertedServices);
        Assert.Equal(delta.UpsertedEndpoints, read.UpsertedEndpoints);
        Assert.Equal(delta.RemovedServices, read.RemovedServices);
        Assert.Equal(["app", "tier"], read.UpsertedServices[0].Metadata.Labels.Keys);
        Assert.Equal(["z1", "z2"], read.UpsertedEndpoints[0].Subsets[0].Addresses[0].ForZones);
        Assert.Same(ValueMap.Empty, read.UpsertedServices[1].Metadata.Labels);
        Assert.Same(ValueList<ServicePort>.Empty, read.UpsertedServices[1].Spec.Ports);
    }

    [Fact]
    public void What_the_generated_codecs_wrote_is_read_as_the_same_items()
    {
        var delta = WireFixtures.Delta();

        var read = Serializer.Deserialize<SourceDelta>(Convert.FromBase64String(GeneratedWire))!;

        Assert.Equal(delta.UpsertedServices, read.UpsertedServices);
        Assert.Equal(delta.UpsertedEndpoints, read.UpsertedEndpoints);
        Assert.Equal(delta.RemovedServices, read.RemovedServices);
    }

    [Fact]
    public void Maps_and_lists_as_object_fields_keep_their_type()
    {
        object[] values = [ValueMap.From([new("a", "1")]), (ValueList<string>)["x", "y"], ValueMap.Empty];

        var read = Serializer.Deserialize<object[]>(Serializer.SerializeToArray(values))!;

        Assert.Equal(values, read);
        Assert.IsType<ValueMap>(read[0]);
        Assert.IsType<ValueList<string>>(read[1]);
    }
}
