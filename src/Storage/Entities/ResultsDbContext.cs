using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace GradDescent.Storage.Entities;

/// <summary>
/// EF Core model of the result store. The schema itself is created by <see cref="Schema.SchemaMigrator"/>
/// (hand-written, versioned SQL); this model only maps it for queries and small writes.
/// </summary>
internal sealed class ResultsDbContext(DbContextOptions<ResultsDbContext> options) : DbContext(options)
{
    public DbSet<SweepEntity> Sweeps => Set<SweepEntity>();

    public DbSet<TrialEntity> Trials => Set<TrialEntity>();

    public DbSet<TrialStepEntity> TrialSteps => Set<TrialStepEntity>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var postgres = Database.IsNpgsql();
        var json = postgres ? "jsonb" : "TEXT";

        modelBuilder.Entity<SweepEntity>(sweep =>
        {
            sweep.ToTable("sweeps");
            sweep.HasKey(s => s.Id);
            sweep.Property(s => s.Id).HasColumnName("id");
            sweep.Property(s => s.Name).HasColumnName("name");
            sweep.Property(s => s.Experiment).HasColumnName("experiment");
            sweep.Property(s => s.Spec).HasColumnName("spec");
            sweep.Property(s => s.SpecFormat).HasColumnName("spec_format");
            sweep.Property(s => s.Status).HasColumnName("status");
            sweep.Property(s => s.TotalTrials).HasColumnName("total_trials");
            sweep.Property(s => s.CreatedAt).HasColumnName("created_at");
            sweep.Property(s => s.StartedAt).HasColumnName("started_at");
            sweep.Property(s => s.FinishedAt).HasColumnName("finished_at");
            sweep.Property(s => s.Error).HasColumnName("error");
            sweep.Property(s => s.SpecPath).HasColumnName("spec_path");
            sweep.Property(s => s.LocalSession).HasColumnName("local_session");
            sweep.Property(s => s.HeartbeatAt).HasColumnName("heartbeat_at");
        });

        modelBuilder.Entity<TrialEntity>(trial =>
        {
            trial.ToTable("trials");
            trial.HasKey(t => new { t.SweepId, t.TrialIndex });
            trial.Property(t => t.SweepId).HasColumnName("sweep_id");
            trial.Property(t => t.TrialIndex).HasColumnName("trial_index");
            trial.Property(t => t.Experiment).HasColumnName("experiment");
            trial.Property(t => t.Parameters).HasColumnName("parameters").HasColumnType(json);
            trial.Property(t => t.Optimizer).HasColumnName("optimizer");
            trial.Property(t => t.LearningRate).HasColumnName("learning_rate");
            trial.Property(t => t.Seed).HasColumnName("seed");
            trial.Property(t => t.Status).HasColumnName("status");
            trial.Property(t => t.Attempts).HasColumnName("attempts");
            trial.Property(t => t.WorkerId).HasColumnName("worker_id");
            trial.Property(t => t.Device).HasColumnName("device");
            trial.Property(t => t.StartedAt).HasColumnName("started_at");
            trial.Property(t => t.FinishedAt).HasColumnName("finished_at");
            trial.Property(t => t.DurationMs).HasColumnName("duration_ms");
            trial.Property(t => t.Metrics).HasColumnName("metrics").HasColumnType(json);
            trial.Property(t => t.PrimaryMetric).HasColumnName("primary_metric");
            trial.Property(t => t.DivergedAtStep).HasColumnName("diverged_at_step");
            trial.Property(t => t.Error).HasColumnName("error");
            trial.Property(t => t.Detail).HasColumnName("detail").HasColumnType(json);
        });

        modelBuilder.Entity<TrialStepEntity>(step =>
        {
            step.ToTable("trial_steps");
            step.HasKey(s => new { s.SweepId, s.TrialIndex, s.Metric });
            step.Property(s => s.SweepId).HasColumnName("sweep_id");
            step.Property(s => s.TrialIndex).HasColumnName("trial_index");
            step.Property(s => s.Metric).HasColumnName("metric");
            var values = step.Property(s => s.StepValues).HasColumnName("step_values");
            if (postgres)
            {
                values.HasColumnType("real[]");
            }
            else
            {
                // SQLite has no arrays: the series is a JSON array (NaN as null, infinities as ±1e999).
                values.HasColumnType("TEXT").HasConversion(
                    v => FloatArrayJson.Write(v),
                    text => FloatArrayJson.Read(text),
                    new ValueComparer<float[]>(
                        (a, b) => a != null && b != null && a.SequenceEqual(b),
                        v => v.Length,
                        v => v.ToArray()));
            }
        });
    }
}
