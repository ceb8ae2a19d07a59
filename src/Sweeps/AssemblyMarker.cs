namespace GradDescent.Sweeps;
internal static class AssemblyMarker;
