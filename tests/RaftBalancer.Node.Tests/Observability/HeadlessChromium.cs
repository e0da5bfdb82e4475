using OpenQA.Selenium.Chrome;

namespace RaftBalancer.Node.Tests.Observability;

/// <summary>Debian's <c>chromium</c> driven headless by its <c>chromium-driver</c> through Selenium; the driver process is stopped on dispose.</summary>
/// <remarks>Both come from the Debian packages (<c>.ci/prereqs</c> installs them); a missing one fails the test with that message.</remarks>
internal static class HeadlessChromium
{
    private static readonly string[] BrowserCandidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];
    private static readonly string[] DriverCandidates = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"];

    public static ChromeDriver Start()
    {
        var browser = BrowserCandidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium is not installed: run .ci/prereqs (apt-get install -y chromium chromium-driver).");
        var driver = DriverCandidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromedriver is not installed: run .ci/prereqs (apt-get install -y chromium-driver).");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,900");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }
}
