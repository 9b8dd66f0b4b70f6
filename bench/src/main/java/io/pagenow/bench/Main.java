package io.pagenow.bench;

import java.util.Arrays;

/**
 * Entry point of the benchmark jar.
 *
 * <pre>
 *   java -jar pagenow-bench.jar run --profile=quick --server-jar=... [--backends=embedded,postgres-redis]
 *   java -jar pagenow-bench.jar jmh [JMH options]
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "run" -> System.exit(BenchRun.run(Options.parse(rest)));
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.err.println("usage: run --profile=ci|quick|full --server-jar=PATH [options] | jmh [JMH options]");
                System.exit(2);
            }
        }
    }
}
