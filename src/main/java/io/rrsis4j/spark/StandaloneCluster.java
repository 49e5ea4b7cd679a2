package io.rrsis4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine, each daemon its own JVM as on a real cluster: Spark's own Master and
 * Workers, started from a {@code SPARK_HOME} assembled from the jars of this JVM's class path (a Worker starts its
 * executors with {@code SPARK_HOME/jars}). Everything listens on 127.0.0.1 only. For the cluster tests and
 * {@code bench spark --standalone}: the project's classes reach the executors as on any cluster, through
 * {@code spark.jars}. Closing stops the daemons and their executors by process id.
 */
public final class StandaloneCluster implements AutoCloseable {

    /** Generous: on a busy machine three JVMs may take minutes to start. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(240);

    private final Path dir;
    private final String masterUrl;
    private final int masterUiPort;
    private Process master;
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(Path dir, int masterPort, int masterUiPort) {
        this.dir = dir;
        this.masterUrl = "spark://127.0.0.1:" + masterPort;
        this.masterUiPort = masterUiPort;
    }

    /**
     * Starts a Master and {@code workers} Workers, each offering {@code cores} cores and {@code memory} (e.g. 1g) to
     * executors, and returns once all Workers have registered. Logs and the Workers' work folders go under
     * {@code dir}.
     */
    public static StandaloneCluster start(Path dir, int workers, int cores, String memory) {
        StandaloneCluster cluster = new StandaloneCluster(dir, freePort(), freePort());
        try {
            Path home = cluster.sparkHome();
            cluster.master = cluster.daemon(home, "master", List.of("org.apache.spark.deploy.master.Master",
                    "--host", "127.0.0.1", "--port", cluster.masterUrl.substring(cluster.masterUrl.lastIndexOf(':') + 1),
                    "--webui-port", Integer.toString(cluster.masterUiPort)));
            for (int k = 0; k < workers; k++) {
                Path work = Files.createDirectories(dir.resolve("worker-" + k));
                cluster.workers.add(cluster.daemon(home, "worker-" + k, List.of("org.apache.spark.deploy.worker.Worker",
                        "--host", "127.0.0.1", "--webui-port", Integer.toString(freePort()), "--cores",
                        Integer.toString(cores), "--memory", memory, "--work-dir", work.toString(), cluster.masterUrl)));
            }
            cluster.awaitWorkers(workers);
            return cluster;
        } catch (IOException | RuntimeException e) {
            cluster.close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public String masterUrl() {
        return masterUrl;
    }

    /** The live executor JVMs that Worker {@code worker} started (its child processes). */
    public List<ProcessHandle> executors(int worker) {
        return workers.get(worker).children().filter(ProcessHandle::isAlive).toList();
    }

    /** All live executor JVMs of the cluster. */
    public List<ProcessHandle> executors() {
        List<ProcessHandle> all = new ArrayList<>();
        for (int k = 0; k < workers.size(); k++) {
            all.addAll(executors(k));
        }
        return all;
    }

    /** The Workers' JVMs, then the Master's; their executors are among the Workers' descendants. */
    public List<ProcessHandle> daemons() {
        List<ProcessHandle> all = new ArrayList<>(workers.stream().map(Process::toHandle).toList());
        if (master != null) {
            all.add(master.toHandle());
        }
        return all;
    }

    /**
     * Stops the Workers (they stop their executors), then the Master, each by its process: politely first, then
     * with SIGKILL, and any executor still alive after its Worker is killed too.
     */
    @Override
    public void close() {
        for (Process worker : workers) {
            List<ProcessHandle> executors = worker.descendants().toList();
            stop(worker.toHandle());
            executors.forEach(StandaloneCluster::stop);
        }
        if (master != null) {
            stop(master.toHandle());
        }
    }

    private static void stop(ProcessHandle process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) { // still alive, or interrupted: no more waiting
            process.destroyForcibly();
        }
    }

    /** SPARK_HOME with jars/ (links to this JVM's class path jars) and the RELEASE file a Worker looks for. */
    private Path sparkHome() throws IOException {
        Path home = Files.createDirectories(dir.resolve("spark-home"));
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            if (Files.isRegularFile(jar) && entry.endsWith(".jar")) {
                Path link = jars.resolve(jar.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(link, jar);
                }
            }
        }
        Files.writeString(home.resolve("RELEASE"), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                + " (assembled from the class path of rrsis4j)\n", StandardCharsets.UTF_8);
        return home;
    }

    private Process daemon(Path home, String name, List<String> mainAndArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        for (String flag : org.apache.spark.launcher.JavaModuleOptions.defaultModuleOptionArray()) {
            if (!flag.startsWith("--add-modules")) { // the incubator vector module only prints a warning
                command.add(flag);
            }
        }
        command.add("-cp");
        command.add(home.resolve("jars") + "/*");
        command.addAll(mainAndArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        builder.environment().put("SPARK_HOME", home.toString());
        builder.environment().put("SPARK_SCALA_VERSION", "2.13"); // the launcher's builder asks, with no build here
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // web UIs and executors on loopback too
        return builder.start();
    }

    private void awaitWorkers(int expected) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int alive = 0;
        while (System.nanoTime() < deadline) {
            List<Process> all = new ArrayList<>(workers);
            all.add(master);
            for (Process p : all) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a Spark daemon exited at start (exit " + p.exitValue()
                            + "); see the logs in " + dir);
                }
            }
            try {
                HttpResponse<String> state = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + masterUiPort + "/json/")).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = new ObjectMapper().readTree(state.body());
                alive = json.path("aliveworkers").asInt();
                if (alive >= expected) {
                    return;
                }
            } catch (IOException e) {
                // the Master is not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the cluster starts", e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the cluster starts", e);
            }
        }
        throw new IllegalStateException(alive + " of " + expected + " Spark workers registered within "
                + START_TIMEOUT.toSeconds() + " s; see the logs in " + dir);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
