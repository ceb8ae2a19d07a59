namespace GradDescent.Reports.Document;

/// <summary>One piece of a report page.</summary>
public abstract record ReportBlock;

/// <summary>A section title (level 2 or 3).</summary>
public sealed record HeadingBlock(int Level, string Text) : ReportBlock;

/// <summary>A paragraph of plain text; <paramref name="Strong"/> shows it emphasised.</summary>
public sealed record ParagraphBlock(string Text, bool Strong = false) : ReportBlock;

/// <summary>A table; <paramref name="CsvFile"/> is its CSV's path relative to the report folder.</summary>
public sealed record TableBlock(ReportTable Table, string CsvFile, string? Note = null) : ReportBlock;

/// <summary>An image file (PNG or GIF) relative to the report folder, with a caption.</summary>
public sealed record FigureBlock(string File, string Caption) : ReportBlock;
