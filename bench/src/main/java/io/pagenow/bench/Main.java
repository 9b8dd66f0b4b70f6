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
            // bench/run peers [--quick]: our server beside ejabberd (PeersRun)
            case "peers" -> {
                boolean quick = Arrays.asList(rest).contains("--quick");
                String[] options = Arrays.stream(rest).filter(a -> !a.equals("--quick")).toArray(String[]::new);
                String[] withProfile = Arrays.copyOf(options, options.length + 1);
                withProfile[options.length] = "--profile=" + (quick ? "peers-quick" : "peers");
                System.exit(PeersRun.run(Options.parse(withProfile), quick));
            }
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.err.println("usage: run --profile=ci|quick|full --server-jar=PATH [options] | peers [--quick] [options] | jmh [JMH options]");
                System.exit(2);
            }
        }
    }
}
