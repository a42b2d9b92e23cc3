using System.Globalization;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>Reads another process's CPU time and working set from /proc (Linux).</summary>
internal static class ProcessMeter
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public static double WorkingSetMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>User + system CPU seconds the process has used so far.</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th fields.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture)
            + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>CPU seconds the whole machine has been busy so far, over all cores (/proc/stat: all but idle and iowait).</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
            .Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray(); // guest time is already in user
        return (fields.Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    /// <summary>CPU use over <paramref name="period"/>, in percent of one core.</summary>
    public static async Task<double> CpuPercent(int pid, TimeSpan period)
    {
        var before = CpuSeconds(pid);
        await Task.Delay(period);
        return (CpuSeconds(pid) - before) / period.TotalSeconds * 100;
    }
}
