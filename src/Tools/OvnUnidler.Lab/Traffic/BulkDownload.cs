using System.Globalization;

namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// One download by curl, as its -w variables report it: HTTP status, bytes received, average
/// speed in bytes per second, and seconds from start to connection, to the first byte and to the end.
/// </summary>
public sealed record BulkDownload(int ExitCode, int HttpCode, long Bytes, double BytesPerSecond, double ConnectSeconds, double FirstByteSeconds, double TotalSeconds, string Error)
{
    public bool Succeeded => ExitCode == 0 && HttpCode == 200;

    public double MegabytesPerSecond => BytesPerSecond / 1_000_000;

    public static BulkDownload Parse(int exitCode, string written, string error)
    {
        ArgumentNullException.ThrowIfNull(written);
        var fields = written.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            return new BulkDownload(exitCode, 0, 0, 0, 0, 0, 0, $"{error} (curl wrote '{written}')");
        }

        double Number(int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);
        return new BulkDownload(
            exitCode, int.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture),
            Number(2), Number(3), Number(4), Number(5), error);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"exit {ExitCode} HTTP {HttpCode}: {Bytes} bytes at {MegabytesPerSecond:F1} MB/s (connect {ConnectSeconds:F3} s, first byte {FirstByteSeconds:F3} s, total {TotalSeconds:F3} s) {Error}");
}
