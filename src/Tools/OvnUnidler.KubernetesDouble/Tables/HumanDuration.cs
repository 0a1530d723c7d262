namespace OvnUnidler.KubernetesDouble.Tables;

// An age as the API server's Table columns and kubectl print it ("45s", "3m20s", "5h", "12d"):
// the more time passed, the coarser the unit, as apimachinery's duration.HumanDuration does.
internal static class HumanDuration
{
    public static string Format(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }

        if (elapsed < TimeSpan.Zero)
        {
            return "0s";
        }

        var seconds = (long)elapsed.TotalSeconds;
        if (seconds < 60 * 2)
        {
            return $"{seconds}s";
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }

        if (minutes < 60 * 3)
        {
            return $"{minutes}m";
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }

        if (hours < 48)
        {
            return $"{hours}h";
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        }

        if (hours < 24 * 365 * 2)
        {
            return $"{hours / 24}d";
        }

        var years = hours / 24 / 365;
        return years < 8 && hours / 24 % 365 != 0 ? $"{years}y{hours / 24 % 365}d" : $"{years}y";
    }
}
