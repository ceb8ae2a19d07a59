using BenchmarkDotNet.Running;

// bench/run.sh passes BenchmarkDotNet's own arguments: --filter, --inProcess, --warmupCount, --iterationCount, --exporters json.
BenchmarkSwitcher.FromAssembly(typeof(GradDescent.Bench.Micro.TrialBatches).Assembly).Run(args);
