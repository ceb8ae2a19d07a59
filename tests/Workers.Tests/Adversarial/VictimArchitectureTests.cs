using GradDescent.Workers.Experiments.Adversarial.Victim;
using Xunit;

namespace GradDescent.Workers.Tests.Adversarial;

public sealed class VictimArchitectureTests
{
    [Fact]
    public void Article_ParameterCount_MatchesTheNetworkAndTheArticle()
    {
        var article = VictimArchitecture.Article;
        using var network = new VictimNetwork(article);

        Assert.Equal(14, article.FeatureSize);
        Assert.Equal(25_088, article.FlattenedFeatures);
        Assert.Equal(512, article.DenseUnits);
        Assert.Equal(12_941_314, article.TrainableParameterCount);
        Assert.Equal(article.TrainableParameterCount, network.parameters().Sum(p => p.numel()));
    }

    [Theory]
    [InlineData(14, 128)]
    [InlineData(2, 32)]
    [InlineData(1, 24)]
    public void InferImageSize_FeatureSize_PrefersArticleThenMultiplesOfEight(int featureSize, int expected) =>
        Assert.Equal(expected, VictimArchitecture.InferImageSize(featureSize));
}
