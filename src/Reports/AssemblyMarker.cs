namespace GradDescent.Reports;
internal static class AssemblyMarker;
