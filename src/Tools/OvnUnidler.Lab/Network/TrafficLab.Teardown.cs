using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Network;

public sealed partial class TrafficLab
{
    /// <summary>
    /// Removes the pods, stops every daemon (ovs-vswitchd with exit --cleanup), deletes every
    /// namespace the lab made (and any other of this lab's id), kills what a pidfile of its
    /// directory still names, and deletes the directory. Every step is tried.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        var failures = new List<Exception>();
        foreach (var pod in Pods)
        {
            pod.KillProcesses();
        }

        foreach (var zone in zones)
        {
            await zone.StopAsync(failures).ConfigureAwait(false);
        }

        foreach (var database in new[] { icNorthbound, icSouthbound })
        {
            try
            {
                await (database?.StopAsync() ?? Task.CompletedTask).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failures.Add(exception);
            }
        }

        foreach (var name in NetworkNamespace.List().Where(name => LabNames.TryParseNamespace(name, out var owner, out var lab) && lab == Id && owner == LabOwner.Current))
        {
            try
            {
                await NetworkNamespace.DeleteAsync(runner, name).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failures.Add(exception);
            }
        }

        lock (gate)
        {
            namespaces.Clear();
            pods.Clear();
        }

        if (System.IO.Directory.Exists(Directory))
        {
            LeftoverReaper.KillDaemons(Directory);
            if (!options.KeepDirectory)
            {
                try
                {
                    System.IO.Directory.Delete(Directory, recursive: true);
                }
                catch (IOException exception)
                {
                    failures.Add(exception);
                }
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException("stopping the real-traffic lab failed", failures);
        }
    }

    /// <summary>The owner exits without disposing (an unhandled failure): remove the namespaces now rather than at the next reap.</summary>
    private void OnProcessExit(object? sender, EventArgs e)
    {
        if (Volatile.Read(ref disposed) == 1)
        {
            return;
        }

        if (System.IO.Directory.Exists(Directory))
        {
            LeftoverReaper.KillDaemons(Directory);
        }

        foreach (var name in NamespaceNames)
        {
            try
            {
                NetworkNamespace.DeleteAsync(runner, name).Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // Best effort at exit; the next lab's reaper removes what is left.
            }
        }
    }
}
