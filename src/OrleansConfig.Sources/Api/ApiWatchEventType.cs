namespace OrleansConfig;

/// <summary>The kinds of watch event a source acts on (an <c>ERROR</c> event is thrown as <see cref="ApiServerException"/>).</summary>
public enum ApiWatchEventType
{
    /// <summary>The item was created.</summary>
    Added,
    /// <summary>The item was changed.</summary>
    Modified,
    /// <summary>The item was deleted.</summary>
    Deleted,

    /// <summary>No object changed; the watch has reached <see cref="ApiWatchEvent{T}.ResourceVersion"/>.</summary>
    Bookmark,
}
