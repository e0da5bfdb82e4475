using OpenQA.Selenium;

namespace RaftBalancer.Node.Tests.Observability;

/// <summary>The dashboard in a real headless browser: any node's page shows the whole cluster and follows a backend going down.</summary>
[Trait("Category", "Integration")]
[Collection(ClusterTestGroup.Name)]
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task Dashboard_BackendKilled_RowTurnsUnhealthy()
    {
        await using var cluster = await TestCluster.StartAsync();
        var leader = await cluster.WaitForLeaderAsync();
        var viewer = cluster.Nodes.First(n => n != leader); // a follower's page must show the whole cluster too
        using var browser = HeadlessChromium.Start();
        try
        {
            await browser.Navigate().GoToUrlAsync(viewer.OpsUrl + "/dashboard/");

            await Poll.UntilAsync(
                () => Rows(browser, "#members tr[data-member]").Count == 3
                    && Rows(browser, "#members tr[data-role='leader']").Select(r => r.GetAttribute("data-member")).SequenceEqual([leader.Id]),
                TimeSpan.FromSeconds(15),
                "three members on " + viewer.Id + "'s dashboard, " + leader.Id + " the only leader");
            Assert.Equal(leader.Id, browser.FindElement(By.Id("leader")).Text);
            await Poll.UntilAsync(
                () => cluster.BackendIds.All(id => Health(browser, id) == "healthy"),
                TimeSpan.FromSeconds(15),
                "every backend's row healthy");

            await cluster.Backend("b").StopAsync();

            // Probes every 300 ms, unhealthy after 2 failures, then a majority of the nodes' reports: well within 10 s.
            await Poll.UntilAsync(() => Health(browser, "b") == "unhealthy", TimeSpan.FromSeconds(10), "backend b's row turns unhealthy");
            Assert.Equal("healthy", Health(browser, "a"));
            var row = browser.FindElement(By.CssSelector("#backends tr[data-backend='b']"));
            Assert.Contains("Unhealthy", row.Text, StringComparison.Ordinal);
        }
        finally
        {
            var directory = Path.Combine(RepoPaths.Root, "TestResults");
            Directory.CreateDirectory(directory);
            ((ITakesScreenshot)browser).GetScreenshot().SaveAsFile(Path.Combine(directory, "dashboard.png"));
            browser.Quit();
        }
    }

    private static System.Collections.ObjectModel.ReadOnlyCollection<IWebElement> Rows(OpenQA.Selenium.Chrome.ChromeDriver browser, string selector) => browser.FindElements(By.CssSelector(selector));

    private static string? Health(OpenQA.Selenium.Chrome.ChromeDriver browser, string backendId)
    {
        try
        {
            return browser.FindElements(By.CssSelector("#backends tr[data-backend='" + backendId + "']")).FirstOrDefault()?.GetAttribute("data-health");
        }
        catch (StaleElementReferenceException)
        {
            return null; // the page re-rendered between the find and the read
        }
    }
}
