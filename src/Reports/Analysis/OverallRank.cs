namespace GradDescent.Reports.Analysis;

/// <summary>A contender across the problem groups: its mean rank over the complete groups, with a 95% Student-t interval.</summary>
/// <param name="Contender">The contender's label.</param>
/// <param name="Rank">1 = lowest mean rank; equal mean ranks share a rank. Null: no complete group.</param>
/// <param name="MeanRank">Mean of its ranks over the complete groups.</param>
/// <param name="Ci95HalfWidth">Half-width of the mean rank's 95% interval over groups; null with fewer than two groups.</param>
/// <param name="Groups">Complete groups counted.</param>
/// <param name="FirstPlaces">Complete groups where it ranks first (alone or tied).</param>
public sealed record OverallRank(string Contender, int? Rank, double? MeanRank, double? Ci95HalfWidth, int Groups, int FirstPlaces);
