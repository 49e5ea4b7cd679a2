package io.rrsis4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rrsis4j.InvalidInputException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a cluster's executors get from a driver started by the launcher, and masters refused before Spark starts. */
class SparkSessionsTest {

    @Test
    void theDriversOwnJarGoesToExecutorsUnlessTheUserNamedJars() {
        Path jar = Path.of("/opt/rrsis4j/rrsis4j.jar");
        Map<String, String> defaults = SparkSessions.clusterDefaults(Map.of(), jar, Map.of("PYTORCH_VERSION", "2.7.1"));
        assertEquals(jar.toUri().toString(), defaults.get("spark.jars"));
        assertEquals("PASSIVE", defaults.get("spark.executorEnv.OMP_WAIT_POLICY"));
        assertEquals("2.7.1", defaults.get("spark.executorEnv.PYTORCH_VERSION"));

        Map<String, String> own = SparkSessions.clusterDefaults(Map.of("spark.jars", "hdfs:///jobs/app.jar",
                "spark.executorEnv.OMP_WAIT_POLICY", "ACTIVE"), jar, Map.of());
        assertFalse(own.containsKey("spark.jars"), own.toString());
        assertFalse(own.containsKey("spark.executorEnv.OMP_WAIT_POLICY"), own.toString());
        assertFalse(own.containsKey("spark.executorEnv.PYTORCH_VERSION"), "none on the driver, none sent");

        assertFalse(SparkSessions.clusterDefaults(Map.of(), null, Map.of()).containsKey("spark.jars"),
                "classes from a folder (the build's tests): nothing to send");
    }

    @Test
    void aMasterUrlWithoutAPortIsOneLine() {
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> SparkSessions.checkReachable("spark://somehost"));
        assertTrue(e.getMessage().contains("expected spark://HOST:PORT"), e.getMessage());
    }
}
