package dev.pgcert.fault.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.pgcert.cluster.HarnessImages;
import dev.pgcert.cluster.HarnessLabels;
import dev.pgcert.cluster.LeftoverSweeper;
import dev.pgcert.cluster.ToxiproxyImage;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import eu.rekawek.toxiproxy.model.toxic.Timeout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.output.Slf4jLogConsumer;
import org.testcontainers.toxiproxy.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The contract the harness relies on, run against whichever image {@link ToxiproxyImage} picks:
 * the built compatible server here, the upstream image where it can be had
 * ({@code -Dpgcert.toxiproxy.mode=upstream} to insist on it), so the two can be compared.
 *
 * <p>Traffic: the test connects to Toxiproxy's mapped ports on the loopback interface; Toxiproxy
 * proxies to a target container (socat: an echo port and an endless byte source) on a private
 * network. Time bounds come from the toxics' own settings plus {@link #SLACK}, the scheduling
 * noise allowed on a loaded machine (-Dpgcert.toxiproxy.test.slackMillis).
 *
 * <p>The containers carry this run's owner labels ({@link HarnessLabels#forRun}): the leftover
 * sweep of any other harness run on the machine removes harness containers without a live owner,
 * and removed this test's Toxiproxy in the middle of a run when they had the bare harness label.
 * A failure's message carries the Toxiproxy container's state and log ({@link ContainerDiagnostics});
 * a server found dead before a test is replaced, so one lost server fails one test, not all.
 */
class ToxiproxyContractIT {

    private static final Logger LOG = LoggerFactory.getLogger(ToxiproxyContractIT.class);
    private static final String RUN_ID = "toxiproxy-contract-" + HarnessLabels.newRunId();
    private static final Map<String, String> HARNESS_LABELS = HarnessLabels.forRun(RUN_ID);
    /** How long a live server may take to answer GET /version on a loaded machine. */
    private static final Duration API_ANSWER_LIMIT =
            Duration.ofMillis(Long.getLong("pgcert.toxiproxy.test.apiAnswerMillis", 5_000));

    /**
     * The engine picks random host ports for the 33 published ports and now and then picks one
     * that another process took meanwhile ("Error starting userland proxy: ... address already
     * in use"); a new attempt picks again.
     */
    private static final int STARTUP_ATTEMPTS = 3;

    @RegisterExtension
    static final ContainerDiagnostics DIAGNOSTICS = new ContainerDiagnostics();
    private static final Duration SLACK =
            Duration.ofMillis(Long.getLong("pgcert.toxiproxy.test.slackMillis", 150));
    private static final int ECHO_PORT = 7000;
    private static final int SOURCE_PORT = 7001;
    /** Ports the Testcontainers module exposes for proxies. */
    private static final int FIRST_PROXY_PORT = 8666;
    private static final int LAST_PROXY_PORT = 8697;
    /** The upstream behind the proxies (echo on 7000, a stream of zeros on 7001). */
    private static final Path TARGET_DOCKERFILE_DIR = HarnessImages.projectDir().resolve("src/test/docker/toxiproxy-target");

    private static Network network;
    private static GenericContainer<?> target;
    private static ToxiproxyContainer toxiproxy;
    private static ToxiproxyClient client;
    private static ToxiproxyImage.Resolved image;
    private static final AtomicInteger NEXT_PORT = new AtomicInteger(FIRST_PROXY_PORT);

    @BeforeAll
    static void startContainers() {
        image = ToxiproxyImage.resolve();
        network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withLabels(HARNESS_LABELS)).build();
        String targetImage = HarnessImages.build("pgcert/toxiproxy-test-target", TARGET_DOCKERFILE_DIR,
                Map.of("BASE_IMAGE", System.getProperty("pgcert.toxiproxy.baseImage", ToxiproxyImage.DEFAULT_BASE_IMAGE)));
        target = new GenericContainer<>(DockerImageName.parse(targetImage))
                .withNetwork(network)
                .withNetworkAliases("target")
                .withLabels(HARNESS_LABELS)
                .withExposedPorts(ECHO_PORT, SOURCE_PORT) // exposed so the start waits for both listeners
                .withStartupAttempts(STARTUP_ATTEMPTS);
        target.start();
        toxiproxy = new ToxiproxyContainer(image.imageName())
                .withNetwork(network)
                .withNetworkAliases("toxiproxy")
                .withLabels(HARNESS_LABELS)
                .withLogConsumer(new Slf4jLogConsumer(LOG).withPrefix("toxiproxy"))
                .withStartupAttempts(STARTUP_ATTEMPTS);
        DIAGNOSTICS.watch("toxiproxy", toxiproxy,
                () -> Objects.requireNonNullElse(serverProblem(), "GET /version answers 200"));
        startToxiproxy();
    }

    private static void startToxiproxy() {
        long start = System.nanoTime();
        toxiproxy.start();
        LOG.info("Toxiproxy {} ({}) started in {} ms", image.imageName(), image.kind(),
                (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Each test starts with a server that answers. One that died (or stopped answering) during
     * an earlier test failed that test, with its state and log in the message; here it is
     * replaced, so the failure does not spread to every later test.
     */
    @BeforeEach
    void liveServerAndFreshClient() {
        if (!target.isRunning()) {
            throw new IllegalStateException("the target container is " + ContainerDiagnostics.state(target));
        }
        String problem = serverProblem();
        if (problem != null) {
            LOG.warn("Toxiproxy is unusable ({}); starting a new container. Log of the old one:\n{}",
                    problem, DIAGNOSTICS.log("toxiproxy").text());
            try {
                toxiproxy.stop();
            } catch (RuntimeException e) {
                LOG.warn("Removing the old Toxiproxy container failed: {}", e.toString());
            }
            DIAGNOSTICS.log("toxiproxy").mark("replaced: " + problem);
            startToxiproxy();
        }
        // A fresh client per test: toxiproxy-java's reset() re-reads every proxy the client
        // instance ever created, and fails on one a previous test deleted.
        client = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort());
    }

    /** Null if the container runs and GET /version answers 200 in time; else what is wrong. */
    private static String serverProblem() {
        String state = ContainerDiagnostics.state(toxiproxy);
        if (!state.startsWith("running")) {
            return "container " + state;
        }
        try {
            HttpResponse<String> version = api("GET", "/version", null);
            return version.statusCode() == 200 ? null : "GET /version answered " + version.statusCode();
        } catch (Exception e) {
            return "GET /version failed: " + e;
        }
    }

    @AfterAll
    static void stopContainers() {
        for (AutoCloseable resource : new AutoCloseable[] {toxiproxy, target, network}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                LOG.warn("Cleanup failed: {}", e.toString());
            }
        }
        // Whatever a failed start or a replaced container left behind.
        try {
            new LeftoverSweeper(org.testcontainers.DockerClientFactory.instance().client()).removeRun(RUN_ID);
        } catch (RuntimeException e) {
            LOG.warn("Cleanup of run {} failed: {}", RUN_ID, e.toString());
        }
    }

    /** Removes this test's proxies; a server that died is left to the next test's check. */
    @AfterEach
    void deleteProxies() throws IOException {
        List<Proxy> proxies;
        try {
            proxies = client.getProxies();
        } catch (IOException e) {
            String problem = serverProblem();
            if (problem != null) {
                LOG.warn("Not cleaning up proxies: Toxiproxy is unusable ({})", problem);
                return;
            }
            throw e;
        }
        for (Proxy proxy : proxies) {
            proxy.delete();
        }
    }

    // --- proxies ---

    @Test
    void proxiesAreCreatedListedUpdatedAndDeleted() throws IOException {
        Proxy proxy = echoProxy("lifecycle");
        assertThat(proxy.isEnabled()).isTrue();
        assertThat(proxy.getUpstream()).isEqualTo("target:" + ECHO_PORT);
        assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("lifecycle");
        assertThat(client.version()).contains("2.");

        proxy.disable();
        assertThat(client.getProxy("lifecycle").isEnabled()).isFalse();
        proxy.enable();
        assertThat(client.getProxy("lifecycle").isEnabled()).isTrue();

        proxy.delete();
        assertThat(client.getProxyOrNull("lifecycle")).isNull();
        assertThat(client.getProxies()).isEmpty();
    }

    @Test
    void errorsHaveUpstreamStatusCodes() throws Exception {
        echoProxy("errors");
        assertThatThrownBy(() -> client.createProxy("errors", "0.0.0.0:" + nextPort(), "target:" + ECHO_PORT))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("[409]");
        HttpResponse<String> unknownType = api("POST", "/proxies/errors/toxics",
                "{\"name\":\"x\",\"type\":\"no_such_toxic\",\"attributes\":{}}");
        assertThat(unknownType.statusCode()).isEqualTo(400);
        assertThat(unknownType.body()).contains("\"error\":\"invalid toxic type\"").contains("\"status\":400");
        assertThat(api("GET", "/proxies/missing", null).statusCode()).isEqualTo(404);
        assertThat(api("DELETE", "/proxies/errors/toxics/missing", null).statusCode()).isEqualTo(404);
        assertThat(api("POST", "/proxies", "{\"name\":\"no-upstream\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void disablingAProxyClosesItsConnectionsAndRefusesNewOnes() throws IOException {
        Proxy proxy = echoProxy("disable");
        int port = listenPort(proxy);
        try (Socket connection = connect(port)) {
            roundTrip(connection, "before".getBytes(StandardCharsets.UTF_8));
            proxy.disable();
            assertThat(endsWithoutData(connection, Duration.ofSeconds(2))).as("open connection closed").isTrue();
        }
        assertRefusedOrClosedAtOnce(port);
        proxy.enable();
        try (Socket connection = connect(port)) {
            roundTrip(connection, "after".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void resetEnablesProxiesAndRemovesToxics() throws IOException {
        Proxy proxy = echoProxy("reset");
        proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 1_000);
        proxy.toxics().timeout("stuck", ToxicDirection.UPSTREAM, 0);
        proxy.disable();

        client.reset();

        Proxy after = client.getProxy("reset");
        assertThat(after.isEnabled()).isTrue();
        assertThat(after.toxics().getAll()).isEmpty();
        try (Socket connection = connect(listenPort(after))) {
            Duration rtt = roundTrip(connection, "ok".getBytes(StandardCharsets.UTF_8));
            assertThat(rtt).isLessThan(Duration.ofSeconds(1));
        }
    }

    // --- toxics ---

    @Test
    void latencyDelaysEachRoundTripWithinJitter() throws IOException {
        Proxy proxy = echoProxy("latency");
        try (Socket connection = connect(listenPort(proxy))) {
            Duration baseline = minimumRoundTrip(connection, 5);
            // Added to a live connection: the harness slows replication streams that already run.
            Latency latency = proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 200);
            List<Duration> delayed = roundTrips(connection, 10);
            LOG.info("latency 200 ms: baseline {} ms, round trips {} ms", baseline.toMillis(), millis(delayed));
            assertThat(delayed).allSatisfy(rtt -> assertThat(rtt)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(200))
                    .isLessThanOrEqualTo(Duration.ofMillis(200).plus(baseline).plus(SLACK)));

            latency.setJitter(100);
            List<Duration> jittered = roundTrips(connection, 20);
            LOG.info("latency 200 +/- 100 ms: round trips {} ms", millis(jittered));
            assertThat(jittered).allSatisfy(rtt -> assertThat(rtt)
                    .isGreaterThanOrEqualTo(Duration.ofMillis(100))
                    .isLessThanOrEqualTo(Duration.ofMillis(300).plus(baseline).plus(SLACK)));
            Duration spread = Collections.max(jittered).minus(Collections.min(jittered));
            assertThat(spread).as("jitter varies the delay").isGreaterThan(Duration.ofMillis(20));

            latency.remove();
            assertThat(minimumRoundTrip(connection, 3)).isLessThan(Duration.ofMillis(200));
        }
    }

    @Test
    void latencyKeepsThroughputOfAStream() throws Exception {
        Proxy proxy = echoProxy("stream");
        // Best of a few, alternating: on a loaded machine one stream can be a second late for
        // reasons of its own (scheduling), which says nothing about the toxic.
        List<Duration> plainRuns = new ArrayList<>();
        List<Duration> delayedRuns = new ArrayList<>();
        for (int i = 0; i < STREAM_REPEATS; i++) {
            plainRuns.add(streamThrough(proxy));
            Latency latency = proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 200);
            delayedRuns.add(streamThrough(proxy));
            latency.remove();
        }
        Duration plain = Collections.min(plainRuns);
        Duration delayed = Collections.min(delayedRuns);
        LOG.info("stream of {} KiB: {} ms plain, {} ms with latency 200 ms", STREAM_CHUNKS * STREAM_CHUNK_BYTES / 1024,
                millis(plainRuns), millis(delayedRuns));
        // A pipeline adds the latency once; stop-and-wait would add it per chunk (100 x 200 ms).
        assertThat(delayed).isLessThanOrEqualTo(plain.plus(Duration.ofMillis(200)).plus(SLACK.multipliedBy(2)));
    }

    private static final int STREAM_REPEATS = 3;
    private static final int STREAM_CHUNKS = 100;
    private static final int STREAM_CHUNK_BYTES = 16 * 1024;

    /** Echoes a paced stream (a chunk every 10 ms) through a new connection; returns the time until all came back. */
    private static Duration streamThrough(Proxy proxy) throws Exception {
        byte[] chunk = new byte[STREAM_CHUNK_BYTES];
        try (Socket connection = connect(listenPort(proxy))) {
            long start = System.nanoTime();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = connection.getOutputStream();
                    for (int i = 0; i < STREAM_CHUNKS; i++) {
                        out.write(chunk);
                        Thread.sleep(10);
                    }
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            readFully(connection.getInputStream(), STREAM_CHUNKS * STREAM_CHUNK_BYTES);
            writer.join();
            return Duration.ofNanos(System.nanoTime() - start);
        }
    }

    @Test
    void bandwidthLimitsThroughput() throws IOException {
        Proxy proxy = sourceProxy("bandwidth");
        long rateKbPerSecond = 200;
        proxy.toxics().bandwidth("bw", ToxicDirection.DOWNSTREAM, rateKbPerSecond);
        try (Socket connection = connect(listenPort(proxy))) {
            InputStream in = connection.getInputStream();
            readFor(in, Duration.ofMillis(500)); // socket buffers fill first: measure the steady state
            long start = System.nanoTime();
            long bytes = readFor(in, Duration.ofSeconds(3));
            double bytesPerSecond = bytes / ((System.nanoTime() - start) / 1e9);
            LOG.info("bandwidth {} KB/s: measured {} KB/s", rateKbPerSecond, Math.round(bytesPerSecond / 1000));
            assertThat(bytesPerSecond).isCloseTo(rateKbPerSecond * 1000.0, within(rateKbPerSecond * 1000.0 * 0.2));
        }
    }

    @Test
    void timeoutStopsDataAndClosesAfterItsTimeout() throws IOException {
        Proxy proxy = echoProxy("timeout");
        proxy.toxics().timeout("hold", ToxicDirection.DOWNSTREAM, 0);
        try (Socket connection = connect(listenPort(proxy))) {
            connection.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            connection.setSoTimeout(1_000);
            assertThatThrownBy(() -> connection.getInputStream().read())
                    .as("timeout 0 holds the connection open and passes nothing")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        proxy.toxics().get("hold", Timeout.class).remove();

        proxy.toxics().timeout("close", ToxicDirection.DOWNSTREAM, 500);
        try (Socket connection = connect(listenPort(proxy))) {
            long start = System.nanoTime();
            connection.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
            assertThat(endsWithoutData(connection, Duration.ofMillis(500).plus(SLACK.multipliedBy(4)))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    @Test
    void resetPeerResetsTheConnection() throws Exception {
        Proxy proxy = echoProxy("reset-peer");
        proxy.toxics().resetPeer("rst", ToxicDirection.DOWNSTREAM, 0);
        // Seen from inside the network, the client gets a TCP RST. (Through a Docker port mapping
        // the engine's userland proxy turns it into a plain close, so that is checked below.)
        // socat reports a reset read as a warning (-d shows warnings); stdin stays open 3 s so the
        // connection is not ended from this side first.
        ExecResult probe = target.execInContainer("sh", "-c",
                "(echo ping; sleep 3) | socat -d -T 5 - TCP:toxiproxy:" + listenPort(proxy));
        assertThat(probe.getStderr()).contains("Connection reset by peer");
        assertThat(probe.getStdout()).doesNotContain("ping");

        try (Socket connection = connect(listenPort(proxy))) {
            connection.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
            assertThat(endsWithoutData(connection, Duration.ofSeconds(2))).isTrue();
        }
    }

    @Test
    void toxicityZeroHasNoEffect() throws IOException {
        Proxy proxy = echoProxy("toxicity");
        Timeout timeout = proxy.toxics().timeout("never", ToxicDirection.DOWNSTREAM, 0);
        timeout.setToxicity(0f);
        assertThat(proxy.toxics().get("never").getToxicity()).isZero();
        for (int i = 0; i < 5; i++) {
            try (Socket connection = connect(listenPort(proxy))) {
                roundTrip(connection, ("try " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void limitDataClosesAfterTheLimit() throws IOException {
        Proxy proxy = echoProxy("limit");
        proxy.toxics().limitData("limit", ToxicDirection.DOWNSTREAM, 10);
        try (Socket connection = connect(listenPort(proxy))) {
            connection.setSoTimeout((int) Duration.ofSeconds(5).toMillis());
            connection.getOutputStream().write("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(readUntilEnd(connection.getInputStream()), StandardCharsets.UTF_8))
                    .isEqualTo("0123456789");
        }
    }

    @Test
    void slicerDeliversEveryByteInOrder() throws Exception {
        Proxy proxy = echoProxy("slicer");
        proxy.toxics().slicer("slice", ToxicDirection.DOWNSTREAM, 100, 10).setSizeVariation(50);
        byte[] payload = new byte[256 * 1024];
        new Random(7).nextBytes(payload);
        try (Socket connection = connect(listenPort(proxy))) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    connection.getOutputStream().write(payload);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = readFully(connection.getInputStream(), payload.length);
            writer.join();
            assertThat(Arrays.equals(payload, received)).as("echoed bytes equal the sent ones").isTrue();
        }
    }

    @Test
    void slowCloseDelaysTheClose() throws IOException {
        Proxy proxy = echoProxy("slow-close");
        proxy.toxics().slowClose("slow", ToxicDirection.DOWNSTREAM, 500);
        try (Socket connection = connect(listenPort(proxy))) {
            roundTrip(connection, "bye".getBytes(StandardCharsets.UTF_8));
            long start = System.nanoTime();
            connection.shutdownOutput(); // the echo server then closes, and the toxic holds that back
            assertThat(endsWithoutData(connection, Duration.ofMillis(500).plus(SLACK.multipliedBy(4)))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    // --- robustness ---

    @Test
    void abusiveClientsCostOnlyTheirOwnConnections() throws Exception {
        Proxy proxy = echoProxy("abuse");
        proxy.toxics().latency("lat", ToxicDirection.DOWNSTREAM, 50);
        byte[] block = new byte[256 * 1024];
        for (int i = 0; i < 10; i++) {
            // Reset in the middle of a stream, with data queued in the toxic and in both sockets.
            try (Socket connection = connect(listenPort(proxy))) {
                connection.getOutputStream().write(block);
                connection.getInputStream().readNBytes(1024);
                connection.setSoLinger(true, 0);
            }
        }
        for (String garbage : new String[] {"NONSENSE\r\n\r\n", "GET /version HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
                "POST /proxies HTTP/1.1\r\nContent-Length: 100\r\n\r\n{\"na", "\u00ff\u00fe\r\n"}) {
            try (Socket control = new Socket(toxiproxy.getHost(), toxiproxy.getControlPort())) {
                control.getOutputStream().write(garbage.getBytes(StandardCharsets.ISO_8859_1));
                control.setSoLinger(true, 0);
            }
        }

        assertThat(serverProblem()).as("what is wrong with the server after the abuse").isNull();
        assertThat(client.getProxy("abuse").toxics().getAll()).hasSize(1);
        try (Socket connection = connect(listenPort(proxy))) {
            assertThat(roundTrip(connection, "still here".getBytes(StandardCharsets.UTF_8)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(50));
        }
    }

    // --- helpers ---

    private static Proxy echoProxy(String name) throws IOException {
        return client.createProxy(name, "0.0.0.0:" + nextPort(), "target:" + ECHO_PORT);
    }

    private static Proxy sourceProxy(String name) throws IOException {
        return client.createProxy(name, "0.0.0.0:" + nextPort(), "target:" + SOURCE_PORT);
    }

    /** Each test gets a fresh port, so a lingering close of an earlier test cannot interfere. */
    private static int nextPort() {
        int port = NEXT_PORT.getAndIncrement();
        if (port > LAST_PROXY_PORT) {
            throw new IllegalStateException("more proxies than the Testcontainers module exposes ports");
        }
        return port;
    }

    private static int listenPort(Proxy proxy) {
        String listen = proxy.getListen();
        return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    }

    private static Socket connect(int proxyPort) throws IOException {
        Socket socket = new Socket(toxiproxy.getHost(), toxiproxy.getMappedPort(proxyPort));
        socket.setTcpNoDelay(true);
        socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
        return socket;
    }

    private static Duration roundTrip(Socket connection, byte[] payload) throws IOException {
        long start = System.nanoTime();
        connection.getOutputStream().write(payload);
        byte[] echoed = readFully(connection.getInputStream(), payload.length);
        Duration rtt = Duration.ofNanos(System.nanoTime() - start);
        assertThat(echoed).isEqualTo(payload);
        return rtt;
    }

    private static List<Duration> roundTrips(Socket connection, int count) throws IOException {
        List<Duration> result = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            result.add(roundTrip(connection, ("rtt " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return result;
    }

    private static Duration minimumRoundTrip(Socket connection, int count) throws IOException {
        return Collections.min(roundTrips(connection, count));
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] buffer = in.readNBytes(length);
        if (buffer.length < length) {
            throw new IOException("connection ended after " + buffer.length + " of " + length + " bytes");
        }
        return buffer;
    }

    private static byte[] readUntilEnd(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    /** Bytes read during {@code duration}. */
    private static long readFor(InputStream in, Duration duration) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long deadline = System.nanoTime() + duration.toNanos();
        long total = 0;
        while (System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("source ended after " + total + " bytes");
            }
            total += n;
        }
        return total;
    }

    /** True if the connection ends (EOF or reset) within {@code within} without delivering data. */
    private static boolean endsWithoutData(Socket connection, Duration within) throws IOException {
        connection.setSoTimeout((int) within.toMillis());
        try {
            int read = connection.getInputStream().read();
            assertThat(read).as("no data arrives before the end").isEqualTo(-1);
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }

    /**
     * A disabled proxy does not listen. Through the engine's port mapping that shows either as a
     * refused connection, or (with Docker's userland proxy) as one that is closed at once.
     */
    private static void assertRefusedOrClosedAtOnce(int proxyPort) throws IOException {
        Socket socket;
        try {
            socket = connect(proxyPort);
        } catch (ConnectException refused) {
            return;
        }
        try (socket) {
            socket.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
            assertThat(endsWithoutData(socket, Duration.ofSeconds(2))).as("connection to a disabled proxy ends").isTrue();
        } catch (SocketException reset) {
            // refused behind the port mapping: fine
        }
    }

    private static HttpResponse<String> api(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://" + toxiproxy.getHost() + ":" + toxiproxy.getControlPort() + path))
                .method(method, publisher)
                .timeout(API_ANSWER_LIMIT)
                .build();
        return HttpClient.newBuilder().connectTimeout(API_ANSWER_LIMIT).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<Long> millis(List<Duration> durations) {
        return durations.stream().map(Duration::toMillis).toList();
    }
}
