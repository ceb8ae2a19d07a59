namespace GradDescent.Grains;
internal static class AssemblyMarker;
