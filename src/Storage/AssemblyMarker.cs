namespace GradDescent.Storage;
internal static class AssemblyMarker;
