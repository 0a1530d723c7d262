using Xunit;

namespace OvnUnidler.Testing;

/// <summary>The deadline every await in the tests has.</summary>
public static class Deadline
{
    public static readonly TimeSpan Short = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    public static Task<T> Within<T>(this Task<T> task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? Short, TestContext.Current.CancellationToken);

    public static Task Within(this Task task, TimeSpan? timeout = null) =>
        task.WaitAsync(timeout ?? Short, TestContext.Current.CancellationToken);
}
