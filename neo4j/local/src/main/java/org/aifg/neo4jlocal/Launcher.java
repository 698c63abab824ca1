package org.aifg.neo4jlocal;

import java.io.IOException;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.GraphDatabaseSettings.LogQueryLevel;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;
import org.neo4j.logging.Level;
import org.neo4j.logging.log4j.Log4jLogProvider;
import org.neo4j.server.configuration.ServerSettings;
import org.neo4j.server.configuration.ThirdPartyJaxRsPackage;

import sun.misc.Signal;

/**
 * Runs a real Neo4j Community DBMS (Bolt, HTTP API and Neo4j Browser) in the foreground.
 *
 * <p>It uses the public embedded builder: with the HTTP connector enabled and neo4j-server on the
 * classpath, the DBMS factory starts the same Jetty web server and Bolt server as the packaged
 * product, so clients cannot tell the difference.
 *
 * <p>Contract with callers (see ../run): stdout carries exactly one line, {@code ready bolt://...
 * http://...}, once connections are accepted; everything else goes to stderr.
 */
public final class Launcher {
    private static final String HOST = "127.0.0.1";
    private static final String USER = "neo4j";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        // Keep stdout for the ready line only: any stray println from a library goes to stderr.
        PrintStream stdout = System.out;
        System.setOut(System.err);

        // --warmup: start, run a few queries and stop, so that ../run can record a class-data
        // sharing archive at build time. Ephemeral ports, so it never clashes with a running server.
        boolean warmup = args.length > 0 && args[0].equals("--warmup");
        int boltPort = warmup ? 0 : intEnv("NEO4J_LOCAL_BOLT_PORT", 7687);
        int httpPort = warmup ? 0 : intEnv("NEO4J_LOCAL_HTTP_PORT", 7474);
        String password = warmup ? "" : env("NEO4J_LOCAL_PASSWORD", "");
        if (!password.isEmpty() && password.length() < 8) {
            // Same rule as a packaged server (and the docker image): fail early and say so.
            fail("NEO4J_LOCAL_PASSWORD must be at least 8 characters");
        }

        String dataEnv = warmup ? "" : env("NEO4J_LOCAL_DATA", "");
        boolean temporary = dataEnv.isEmpty();
        Path home = temporary
                ? Files.createTempDirectory("neo4j-local-")
                : Files.createDirectories(Path.of(dataEnv).toAbsolutePath());
        log("neo4j home: " + home + (temporary ? " (temporary, deleted on exit)" : ""));

        Log4jLogProvider userLog = new Log4jLogProvider(System.err, Level.INFO);
        AtomicReference<DatabaseManagementService> started = new AtomicReference<>();
        // Registered before the DBMS starts, so that a signal or failure during start-up still
        // removes the temporary directory; once started, the DBMS shuts down before that.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            DatabaseManagementService running = started.get();
            if (running != null) {
                log("shutting down");
                try {
                    running.shutdown();
                } catch (RuntimeException e) {
                    e.printStackTrace();
                }
            }
            userLog.close();
            if (temporary) {
                deleteTree(home);
            }
            log("stopped");
        }, "neo4j-local-shutdown"));
        // The JVM's default exit status for a signal is 128+n; a requested stop is a clean exit.
        Signal.handle(new Signal("TERM"), s -> System.exit(0));
        Signal.handle(new Signal("INT"), s -> System.exit(0));

        DatabaseManagementService dbms;
        try {
            dbms = new DatabaseManagementServiceBuilder(home)
                    .setUserLogProvider(userLog)
                    .setConfig(settings(boltPort, httpPort, !password.isEmpty()))
                    .build();
        } catch (RuntimeException e) {
            e.printStackTrace();
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            fail("Neo4j failed to start (bolt port " + boltPort + ", http port " + httpPort + "): " + cause.getMessage());
            return;
        }
        started.set(dbms);

        try {
            if (!dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).isAvailable(120_000)) {
                fail("default database did not become available");
            }
            if (!password.isEmpty()) {
                setPassword(dbms, password);
            }
            // Load the Cypher stack now, so a client's first query does not pay for it.
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
            if (warmup) {
                warmUp(dbms);
                log("warm-up done");
                System.exit(0);
            }
            waitForPort(boltPort);
            waitForHttp(httpPort);
        } catch (Exception e) {
            e.printStackTrace();
            fail("Neo4j started but is not usable: " + e);
        }

        // One write, so that no log line from another thread can land inside the ready line.
        String ready = "ready bolt://" + HOST + ":" + boltPort + " http://" + HOST + ":" + httpPort + "\n";
        stdout.write(ready.getBytes(StandardCharsets.US_ASCII));
        stdout.flush();
        Thread.currentThread().join(); // until a signal calls System.exit

    }

    private static Map<org.neo4j.graphdb.config.Setting<?>, Object> settings(
            int boltPort, int httpPort, boolean auth) {
        return Map.ofEntries(
                Map.entry(BoltConnector.enabled, true),
                Map.entry(BoltConnector.listen_address, new SocketAddress(HOST, boltPort)),
                Map.entry(HttpConnector.enabled, true),
                Map.entry(HttpConnector.listen_address, new SocketAddress(HOST, httpPort)),
                Map.entry(HttpsConnector.enabled, false),
                // Browser reads the advertised Bolt address: "localhost" may resolve to ::1,
                // where nothing listens.
                Map.entry(GraphDatabaseSettings.default_advertised_address, new SocketAddress(HOST)),
                // The advertised ports default to 7687/7474 whatever the listen ports are, so on
                // other ports Browser (and the discovery endpoint) would point to another server.
                // Port 0 (the warm-up's ephemeral ports) advertises the default; nobody connects.
                Map.entry(BoltConnector.advertised_address, new SocketAddress(HOST, boltPort == 0 ? 7687 : boltPort)),
                Map.entry(HttpConnector.advertised_address, new SocketAddress(HOST, httpPort == 0 ? 7474 : httpPort)),
                Map.entry(GraphDatabaseSettings.auth_enabled, auth),
                // Small footprint beside a test suite on a 2-core machine.
                Map.entry(GraphDatabaseSettings.pagecache_memory, bytesEnv("NEO4J_LOCAL_PAGECACHE", "256m")),
                Map.entry(GraphDatabaseSettings.keep_logical_logs, "keep_none"),
                Map.entry(GraphDatabaseSettings.logical_log_rotation_threshold, ByteUnit.mebiBytes(16)),
                Map.entry(GraphDatabaseSettings.preallocate_logical_logs, false),
                Map.entry(GraphDatabaseSettings.log_queries, LogQueryLevel.OFF),
                // Netty otherwise idles 2 x 5 s on shutdown; a test run should not wait for that.
                Map.entry(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0),
                // No internet here, and no reason to phone home from a dev box.
                Map.entry(GraphDatabaseSettings.udc_enabled, false),
                Map.entry(ServerSettings.allow_telemetry, false),
                // Browser runs this on connect (e.g. ":style http://127.0.0.1:8000/neo4j/style.grass")
                // and may only fetch remote content from allow-listed hosts.
                Map.entry(
                        ServerSettings.browser_post_connect_cmd,
                        env("NEO4J_LOCAL_BROWSER_POST_CONNECT_CMD", "")),
                Map.entry(
                        ServerSettings.browser_remote_content_hostname_whitelist,
                        env("NEO4J_LOCAL_BROWSER_REMOTE_CONTENT_WHITELIST", "guides.neo4j.com,localhost,127.0.0.1")),
                // The project's guide (neo4j/guide.html) at /aifg/guide.html, on Browser's own
                // origin; readable without credentials, as Browser fetches guides without them.
                Map.entry(
                        ServerSettings.third_party_packages,
                        List.of(new ThirdPartyJaxRsPackage("org.aifg.neo4jlocal.guide", "/aifg"))),
                Map.entry(ServerSettings.http_auth_allowlist, List.of("/", "/browser.*", "/aifg/.*")));
    }

    /** Touch the write, index and read paths a test suite uses, so their classes get archived. */
    private static void warmUp(DatabaseManagementService dbms) {
        var db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("CREATE CONSTRAINT warmup_id IF NOT EXISTS FOR (n:Warmup) REQUIRE n.id IS UNIQUE");
        db.executeTransactionally(
                "UNWIND range(1, 100) AS i MERGE (a:Warmup {id: i}) MERGE (b:Warmup {id: i + 1}) "
                        + "MERGE (a)-[:NEXT {at: date()}]->(b)");
        db.executeTransactionally(
                "MATCH p = (:Warmup {id: 1})-[:NEXT*1..5]->(m) RETURN count(p), collect(m.id)[..3]");
        db.executeTransactionally("MATCH (n:Warmup) DETACH DELETE n");
        db.executeTransactionally("DROP CONSTRAINT warmup_id");
    }

    /** Community has no initial-password file via the embedded API; set it through the system database. */
    private static void setPassword(DatabaseManagementService dbms, String password) {
        try {
            dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME)
                    .executeTransactionally(
                            "ALTER USER " + USER + " SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
        } catch (RuntimeException e) {
            // A kept data directory already has this password; anything else is a real error.
            if (!String.valueOf(e.getMessage()).contains("cannot be the same")) {
                throw e;
            }
        }
    }

    private static void waitForPort(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static void waitForHttp(int port) throws IOException, InterruptedException {
        waitForPort(port);
        HttpURLConnection c = (HttpURLConnection) URI.create("http://" + HOST + ":" + port + "/").toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(30000);
        int status = c.getResponseCode();
        c.disconnect();
        if (status != 200) {
            throw new IOException("HTTP discovery endpoint answered " + status);
        }
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log("could not delete " + root + ": " + e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }

    private static int intEnv(String name, int fallback) {
        String value = env(name, "").trim();
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value);
            if (port > 0 && port < 65536) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        fail(name + " must be a TCP port number, got '" + value + "'");
        return fallback;
    }

    private static long bytesEnv(String name, String fallback) {
        return SettingValueParsers.BYTES.parse(env(name, fallback).trim());
    }

    private static void log(String message) {
        System.err.println("neo4j-local: " + message);
    }

    private static void fail(String message) {
        log("error: " + message);
        System.exit(1);
    }
}
