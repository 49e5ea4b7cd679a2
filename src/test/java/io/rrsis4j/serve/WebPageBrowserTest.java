package io.rrsis4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** End-to-end: headless Debian Chromium drives the web page against a server with the colour-word test double. */
class WebPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final int SCALE = 4; // the page shows a 384 x 256 scene

    private static SegmentationServer server;
    private static ChromeDriver driver;
    @TempDir
    static Path dir;

    @BeforeAll
    static void startServerAndBrowser() throws Exception {
        installChromiumIfMissing();
        server = new SegmentationServer(new ColourWordSegmenter().withWordMaps().withPresence(),
                new ModelInfo("colour-word test double", 0, "nothing", Map.of()), ServerLimits.defaults())
                .start("127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1280,800",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
    }

    /** Installs Debian's chromium and chromium-driver once (needs root and apt); fails loudly if that is impossible. */
    static void installChromiumIfMissing() throws IOException, InterruptedException {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        if (apt("install", "-y", "chromium", "chromium-driver") != 0) {
            apt("update");
            apt("install", "-y", "chromium", "chromium-driver");
        }
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + "; install them with: apt-get install -y chromium chromium-driver (as root)");
        }
    }

    private static int apt(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return -1;
        }
        return process.exitValue();
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Path scene() throws IOException {
        BufferedImage image = new BufferedImage(TestImages.WIDTH * SCALE, TestImages.HEIGHT * SCALE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.drawImage(TestImages.scene(), 0, 0, image.getWidth(), image.getHeight(), null);
        g.setColor(new Color(30, 170, 40)); // a green field, which no sentence here refers to
        g.fillRect(70 * SCALE, 40 * SCALE, 20 * SCALE, 16 * SCALE);
        g.dispose();
        Path file = dir.resolve("scene.png");
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    private static long[] pixel(int x, int y) {
        @SuppressWarnings("unchecked")
        List<Long> rgba = (List<Long>) ((JavascriptExecutor) driver).executeScript(
                "const d = document.getElementById('canvas').getContext('2d').getImageData(arguments[0], arguments[1], 1, 1).data;"
                        + "return [d[0], d[1], d[2], d[3]];", x, y);
        return rgba.stream().mapToLong(Long::longValue).toArray();
    }

    private static void waitForMaskOf(String sentence) {
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            WebElement canvas = d.findElement(By.id("canvas"));
            return "mask".equals(canvas.getDomAttribute("data-state"))
                    && sentence.equals(canvas.getDomAttribute("data-sentence"));
        });
    }

    @Test
    void segmentDrawsTheMaskKeepsHistoryAndShowsErrors() throws Exception {
        driver.get("http://127.0.0.1:" + server.port() + "/");
        driver.findElement(By.id("image-input")).sendKeys(scene().toString());
        new WebDriverWait(driver, Duration.ofSeconds(10))
                .until(d -> "image".equals(d.findElement(By.id("canvas")).getDomAttribute("data-state")));

        WebElement sentence = driver.findElement(By.id("sentence"));
        sentence.sendKeys("the red roof");
        driver.findElement(By.id("segment-button")).click();
        waitForMaskOf("the red roof");

        int roofX = (TestImages.ROOF_X + 15) * SCALE;
        int roofY = (TestImages.ROOF_Y + 15) * SCALE;
        long[] roof = pixel(roofX, roofY);
        long[] water = pixel(5 * SCALE, 5 * SCALE);
        // roof (230, 20, 20) blended with the yellow mask colour (255, 212, 0) at 55 %: green rises well above 20
        assertTrue(roof[1] > 90 && roof[0] > 200, "roof pixel carries the mask colour: " + java.util.Arrays.toString(roof));
        assertEquals(20, water[0], 2, "water stays as it was");
        assertEquals(220, water[2], 2, "water stays as it was");
        List<WebElement> history = driver.findElements(By.cssSelector("#history li"));
        assertEquals(1, history.size());
        assertTrue(history.get(0).getText().contains("the red roof"));
        assertTrue(history.get(0).getText().contains("14,400 px"), history.get(0).getText()); // 30 x 30 roof at scale 4

        sentence.clear();
        sentence.sendKeys("the blue water", Keys.ENTER); // Enter submits too
        waitForMaskOf("the blue water");
        assertTrue(pixel(5 * SCALE, 5 * SCALE)[1] > 90, "water now carries the mask colour");
        assertEquals(20, pixel(roofX, roofY)[1], 2, "roof no longer masked");

        driver.findElements(By.cssSelector("#history li")).get(1).click(); // back to the red roof
        waitForMaskOf("the red roof");
        assertTrue(pixel(roofX, roofY)[1] > 90);
        String download = driver.findElement(By.id("download")).getDomAttribute("href");
        assertTrue(download.startsWith("blob:"), "download link holds the mask: " + download);

        // Word maps on request: a captioned picture per word of the sentence in the box.
        driver.findElement(By.id("explain-button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> "shown".equals(
                d.findElement(By.id("word-maps")).getDomAttribute("data-state")));
        List<WebElement> figures = driver.findElements(By.cssSelector("#word-map-list figure"));
        assertEquals(List.of("the", "blue", "water"), figures.stream()
                .map(f -> f.findElement(By.tagName("figcaption")).getText()).toList());
        Long loadedWidth = (Long) ((JavascriptExecutor) driver).executeScript(
                "return document.querySelector('#word-map-list img').naturalWidth;");
        assertTrue(loadedWidth > 0, "the word map picture decodes");

        // A sentence naming nothing in the scene: the page says so rather than drawing nothing
        sentence.clear();
        sentence.sendKeys("the yellow car", Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> {
            WebElement canvas = d.findElement(By.id("canvas"));
            return "no-target".equals(canvas.getDomAttribute("data-state"))
                    && "the yellow car".equals(canvas.getDomAttribute("data-sentence"));
        });
        String status = driver.findElement(By.id("status")).getText();
        assertTrue(status.startsWith("no such object found · presence 0.10"), status);
        assertTrue(driver.findElements(By.cssSelector("#history li")).get(0).getText().contains("not found"));
        assertEquals(40, pixel(5 * SCALE, 5 * SCALE)[1], 2, "nothing drawn over the water");
        assertEquals(20, pixel(roofX, roofY)[1], 2, "nothing drawn over the roof");

        Path screenshot = Path.of("target", "web-page.png");
        Files.createDirectories(screenshot.getParent());
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), screenshot,
                StandardCopyOption.REPLACE_EXISTING);

        Path notAnImage = Files.writeString(dir.resolve("notes.png"), "not an image at all");
        driver.findElement(By.id("image-input")).sendKeys(notAnImage.toString());
        sentence.clear();
        sentence.sendKeys("the red roof", Keys.ENTER);
        WebElement error = driver.findElement(By.id("error"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> error.isDisplayed());
        assertTrue(error.getText().startsWith("415"), error.getText());
        assertTrue(error.getText().contains("PNG, JPEG or TIFF"), error.getText());
    }
}
