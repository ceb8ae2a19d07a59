using GradDescent.Abstractions.Parameters;
using GradDescent.Workers.Experiments.LinearRegression;
using Xunit;

namespace GradDescent.Workers.Tests.LinearRegression;

public sealed class HeightWeightCsvTests
{
    private static readonly HeightWeightDataSource Source = new(TempCsvFile.Gate);

    [Fact]
    public void Read_ArticleStyleFile_ParsesHeightAndWeight()
    {
        using var file = new TempCsvFile(" Gender,Height,Weight\n\"Male\",73.847017017515,241.893563180437\n\"Female\",63.5,130.25\n");
        var (heights, weights) = HeightWeightCsv.Parse(File.ReadAllBytes(file.Path), file.Path);
        Assert.Equal([73.847017017515f, 63.5f], heights);
        Assert.Equal([241.893563180437f, 130.25f], weights);
    }

    [Fact]
    public void Read_CaseQuotesSpacesExtraColumnsBlankLines_Parses()
    {
        using var file = new TempCsvFile("\"WEIGHT\" , id,  height ,note\n\n \"180.5\", 1 , 70 ,\"a, \"\"quoted\"\" note\"\r\n150,2,65.25,x\n\n");
        var (heights, weights) = HeightWeightCsv.Parse(File.ReadAllBytes(file.Path), file.Path);
        Assert.Equal([70f, 65.25f], heights);
        Assert.Equal([180.5f, 150f], weights);
    }

    [Fact]
    public void Read_MissingFile_ThrowsNamingTheFile()
    {
        var path = Path.Combine(TempCsvFile.Root, Guid.NewGuid().ToString("N"), "absent.csv");
        var error = Assert.Throws<ParameterException>(() => Source.Load(path));
        Assert.Equal("data", error.Parameter);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadNumber_ThrowsNamingFileAndLineNotTheContent()
    {
        using var file = new TempCsvFile("Height,Weight\n70,180\n\n71,secret\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Parse(File.ReadAllBytes(file.Path), file.Path));
        Assert.Equal("data", error.Parameter);
        Assert.Equal(
            $"parameter 'data': file '{file.Path}': line 4: the Weight field is not a number (expected a decimal number such as 70.5)",
            error.Message);
    }

    [Fact]
    public void Read_TooFewFields_ThrowsNamingFileAndLine()
    {
        using var file = new TempCsvFile("Gender,Height,Weight\nMale,70,180\nMale,71\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Parse(File.ReadAllBytes(file.Path), file.Path));
        Assert.Contains($"file '{file.Path}': line 3: expected at least 3 fields, found 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnclosedQuote_ThrowsNamingFileAndLine()
    {
        using var file = new TempCsvFile("Height,Weight\n\"70,180\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Parse(File.ReadAllBytes(file.Path), file.Path));
        Assert.Contains("line 2: a quoted field is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoWeightColumn_SaysWhatWasExpectedNotWhatWasFound()
    {
        // What /etc/passwd as data used to give: the first line of the file in the error.
        using var file = new TempCsvFile("root:*:20228:0:99999:7:::\nMale,70,80\n");
        var error = Assert.Throws<ParameterException>(() => HeightWeightCsv.Parse(File.ReadAllBytes(file.Path), file.Path));
        Assert.Equal(
            $"parameter 'data': file '{file.Path}': line 1: the header has no Height column (expected a first line naming Height and Weight columns)",
            error.Message);
    }

    [Fact]
    public void Load_EveryHeightEqual_ThrowsNamingTheFile()
    {
        using var file = new TempCsvFile("Height,Weight\n70,180\n70,150\n");
        var error = Assert.Throws<ParameterException>(() => Source.Load(file.Path));
        Assert.Equal("data", error.Parameter);
        Assert.Contains(file.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameFileTwice_ReturnsCachedDataUntilItChanges()
    {
        using var file = new TempCsvFile("Height,Weight\n1,2\n2,4\n");
        var stamp = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(file.Path, stamp);
        var first = Source.Load(file.Path);
        Assert.Same(first, Source.Load(file.Path));

        File.WriteAllText(file.Path, "Height,Weight\n1,3\n2,7\n");
        File.SetLastWriteTimeUtc(file.Path, stamp.AddSeconds(1));
        var second = Source.Load(file.Path);
        Assert.NotSame(first, second);
        Assert.Equal(4.0, second.Exact.Slope, 12);
        Assert.Equal(-1.0, second.Exact.Intercept, 12);
    }
}
