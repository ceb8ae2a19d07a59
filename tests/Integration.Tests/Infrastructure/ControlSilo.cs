namespace GradDescent.Integration.Tests.Infrastructure;

/// <summary>One silo of <see cref="ControlPlaneSilos"/>.</summary>
public sealed class ControlSilo(string name, CliProcess process)
{
    public string Name { get; } = name;

    public CliProcess Process { get; } = process;

    public bool Killed { get; private set; }

    /// <summary>SIGKILL: no goodbye to the cluster, its membership row stays "active" until the others vote it dead.</summary>
    public void Kill()
    {
        Process.KillHard();
        Killed = true;
    }

    public int LogCount(string text)
    {
        var log = Process.Stderr;
        var count = 0;
        for (var at = log.IndexOf(text, StringComparison.Ordinal); at >= 0; at = log.IndexOf(text, at + text.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    public override string ToString() => Name;
}
