namespace OvnUnidler.Benchmarks.Measuring;

public static class Statistics
{
    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double Megabytes(long bytes) => bytes / (1024.0 * 1024.0);
}
