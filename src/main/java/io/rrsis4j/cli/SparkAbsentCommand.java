package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code spark} and {@code bench spark} in a build without Apache Spark (the device package, or the cluster jar run
 * without spark-submit): whatever follows, one line that says so, exit 2. It takes the place of the real command,
 * whose options name Spark's classes: picocli reads them when it builds the command line, before any command runs.
 */
@Command(name = "spark", description = "Not in this build: it was packed without Apache Spark.")
final class SparkAbsentCommand implements Callable<Integer> {
    /** Anything, --help included: the answer is the same. */
    @Unmatched
    List<String> ignored = new ArrayList<>();

    private final String name;

    SparkAbsentCommand(String name) {
        this.name = name;
    }

    /** Whether Spark's classes can be loaded, without loading them. */
    static boolean sparkPresent() {
        try {
            Class.forName("org.apache.spark.sql.SparkSession", false, SparkAbsentCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public Integer call() {
        throw new InvalidInputException(name + ": this build has no Apache Spark (the device package leaves it out);"
                + " run it with the full jar (./rrsis4j) or through spark-submit with rrsis4j-cluster.jar");
    }
}
