package io.rrsis4j.cli;

import io.rrsis4j.InvalidInputException;
import io.rrsis4j.infer.BtdNetSegmenter;
import io.rrsis4j.io.files.FileErrors;
import io.rrsis4j.serve.ModelInfo;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code rrsis4j} command: parses arguments and hands each subcommand to the library. */
@Command(
        name = "rrsis4j",
        mixinStandardHelpOptions = true,
        version = "rrsis4j 0.1.0",
        description = "Referring remote sensing image segmentation (BTDNet) on the JVM.",
        subcommands = {CommandLine.HelpCommand.class, SynthCommand.class, TrainCommand.class, EvaluateCommand.class,
                SegmentCommand.class, AblateCommand.class, BenchCommand.class, DemoCommand.class, WeightsCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code: 0 ok, 1 failure, 2 bad input or usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand("serve", new ServeCommand(BtdNetSegmenter::load, ModelInfo::describe));
        // Spark is optional at run time (the device package leaves it out): its commands are only reflected over,
        // which loads the Spark classes their options name, when Spark is there.
        boolean spark = SparkAbsentCommand.sparkPresent();
        cli.addSubcommand("spark", spark ? new SparkCommand() : new SparkAbsentCommand("spark"));
        cli.getSubcommands().get("bench").addSubcommand("spark",
                spark ? new SparkBenchCommand() : new SparkAbsentCommand("bench spark"));
        // The user's mistakes (input, files, disk) in one line with exit code 2; bugs keep their stack trace.
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Optional<InvalidInputException> input = FileErrors.asInputError(e);
            if (input.isPresent()) {
                cmd.getErr().println("error: " + input.get().getMessage());
                return 2;
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, unused) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("error: " + InvalidInputException.oneLine(e.getMessage()) + " (see: "
                    + cmd.getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) { // an Error passes picocli's handler: an input too large for this heap
            cli.getErr().println("error: " + FileErrors.asInputError(e).orElseThrow().getMessage());
            return 2;
        }
    }
}
