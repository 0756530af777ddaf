namespace BossTalkCalendar.GraphSimulator;

/// <summary>
/// Writes the whole tenant to the state file after changes: temp file + rename, so a crash leaves the old or the new
/// state, never half of one. Writes are coalesced; a request that changed state waits for the write that covers it.
/// </summary>
internal sealed class StatePersister : IAsyncDisposable
{
    private readonly SimulatedTenant _tenant;
    private readonly string _path;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(long Version, TaskCompletionSource Done)> _waiters = [];
    private readonly Task _loop;
    private long _persisted = -1;

    public StatePersister(SimulatedTenant tenant, string path)
    {
        _tenant = tenant;
        _path = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _tenant.Changed += OnChanged;
        _loop = Task.Run(RunAsync);
    }

    public static TenantState? TryLoad(string path) =>
        File.Exists(path) ? SimulatedTenant.DeserializeState(File.ReadAllBytes(path)) : null;

    public Task WaitPersistedAsync(long version, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Interlocked.Read(ref _persisted) >= version)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((version, done));
            OnChanged();
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Writes now, whatever has changed.</summary>
    public void Flush() => Write();

    public async ValueTask DisposeAsync()
    {
        _tenant.Changed -= OnChanged;
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        Write();
        _stop.Dispose();
        _signal.Dispose();
    }

    private void OnChanged()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _signal.WaitAsync(_stop.Token);
            if (_tenant.Version > Interlocked.Read(ref _persisted))
            {
                try
                {
                    Write();
                }
                catch (IOException)
                {
                    // Try again on the next change; waiters keep waiting rather than being told a lie.
                    await Task.Delay(100, _stop.Token);
                    OnChanged();
                }
            }
        }
    }

    private void Write()
    {
        byte[] bytes;
        long version;
        lock (_gate)
        {
            bytes = _tenant.SerializeState(out version);
            if (version <= Interlocked.Read(ref _persisted))
            {
                return;
            }

            var temp = _path + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, _path, overwrite: true);
            Interlocked.Exchange(ref _persisted, version);
            foreach (var waiter in _waiters.Where(w => w.Version <= version).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }
}
