package io.sundial.cli;

import io.sundial.server.logging.LogSetup;
import java.util.logging.Level;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code sundial} command. Exit codes: 0 ok, 1 failure, 2 usage error,
 * 3 no server to talk to ({@code sundial query}).
 */
@Command(name = "sundial",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Sundial, a time-series database.",
        subcommands = {ServerCommand.class, QueryCommand.class, ShellCommand.class, ImportCommand.class, InspectCommand.class, CompactCommand.class,
                BackupCommand.class, RestoreCommand.class, UserCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // Until 'sundial server' applies log-format and log-level: one UTC line per record, warnings and up.
        LogSetup.apply(LogSetup.Format.TEXT, Level.WARNING);
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("sundial: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Version from the jar manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"sundial " + (v == null ? "development" : v)};
        }
    }
}
