using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.LinearRegression;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

public sealed class HeightWeightCsvTests
{
    [Fact]
    public void Read_ArticleStyleFile_ParsesHeightAndWeight()
    {
        using var file = new TempCsvFile(" Gender,Height,Weight\n\"Male\",73.847017017515,241.893563180437\n\"Female\",63.5,130.25\n");
        var (heights, weights) = HeightWeightCsv.Read(file.Path);
        Assert.Equal([73.847017017515f, 63.5f], heights);
        Assert.Equal([241.893563180437f, 130.25f], weights);
    }

    [Fact]
    public void Read_CaseQuotesSpacesExtraColumnsBlankLines_Parses()
    {
        using var file = new TempCsvFile("\"WEIGHT\" , id,  height ,note\n\n \"180.5\", 1 , 70 ,\"a, \"\"quoted\"\" note\"\r\n150,2,65.25,x\n\n");
        var (heights, weights) = HeightWeightCsv.Read(file.Path);
        Assert.Equal([70f, 65.25f], heights);
        Assert.Equal([180.5f, 150f], weights);
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "graddescent-tests", Guid.NewGuid().ToString("N"), "absent.csv");
        var error = Assert.Throws<ParameterException>(() => HeightWeightDataSource.Load(path));
        Assert.Equal("data", error.Parameter);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadNumber_ThrowsNamingFileAndLine()
    {
        using var file = new TempCsvFile("Height,Weight\n70,180\n\n71,abc\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Read(file.Path));
        Assert.Equal("data", error.Parameter);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", error.Message, StringComparison.Ordinal);
        Assert.Contains("'abc'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TooFewFields_ThrowsNamingFileAndLine()
    {
        using var file = new TempCsvFile("Gender,Height,Weight\nMale,70,180\nMale,71\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Read(file.Path));
        Assert.Contains($"file '{file.Path}': line 3: expected at least 3 fields, found 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnclosedQuote_ThrowsNamingFileAndLine()
    {
        using var file = new TempCsvFile("Height,Weight\n\"70,180\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Read(file.Path));
        Assert.Contains("line 2: a quoted field is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoWeightColumn_ThrowsListingTheHeader()
    {
        using var file = new TempCsvFile("Gender,Height,Mass\nMale,70,80\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Read(file.Path));
        Assert.Contains("line 1: the header has no Weight column (found: Gender, Height, Mass)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_EveryHeightEqual_ThrowsNamingTheFile()
    {
        using var file = new TempCsvFile("Height,Weight\n70,180\n70,150\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightDataSource.Load(file.Path));
        Assert.Equal("data", error.Parameter);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameFileTwice_ReturnsCachedDataUntilItChanges()
    {
        using var file = new TempCsvFile("Height,Weight\n1,2\n2,4\n");
        var stamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file.Path, stamp);
        var first = HeightWeightDataSource.Load(file.Path);
        Assert.Same(first, HeightWeightDataSource.Load(file.Path));

        File.WriteAllText(file.Path, "Height,Weight\n1,3\n2,7\n");
        File.SetLastWriteTimeUtc(file.Path, stamp.AddSeconds(1));
        var second = HeightWeightDataSource.Load(file.Path);
        Assert.NotSame(first, second);
        Assert.Equal(4.0, second.Exact.Slope, 12);
        Assert.Equal(-1.0, second.Exact.Intercept, 12);
    }
}
