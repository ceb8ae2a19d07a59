using GradDescent.Storage.Queries;

namespace GradDescent.Storage.Tests;

/// <summary>The cells `graddescent results --csv` and the dashboard's export write.</summary>
public sealed class TrialCsvTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"")]
    [InlineData("+1", "'+1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-cmd", "'-cmd")]
    [InlineData("\tx", "'\tx")]
    public void Cell_TextASpreadsheetWouldRunAsAFormula_IsPrefixedWithAQuote(string text, string expected) =>
        Assert.Equal(expected, TrialCsv.Cell(text));

    [Theory]
    [InlineData("-0.5", "-0.5")]
    [InlineData("-.5", "-.5")]
    [InlineData("-", "-")]
    [InlineData("adam", "adam")]
    [InlineData("", "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Cell_NumbersAndPlainText_KeptAndQuotedPerRfc4180(string text, string expected) =>
        Assert.Equal(expected, TrialCsv.Cell(text));
}
