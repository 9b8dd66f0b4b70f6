package io.pagenow.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One function started the way AWS's managed Java runtime starts it: a fresh JVM whose class path
 * is the AWS Lambda Runtime Interface Client alone (with what it depends on), its main class
 * {@code AWSLambda} given the handler string, the working directory the shipped jar unpacked (as
 * Lambda unpacks the deployment package into {@code /var/task}, where the client's class loader
 * finds the function's classes), and {@code AWS_LAMBDA_RUNTIME_API} naming a {@link RuntimeApiEmulator}.
 */
final class RuntimeClientFunction implements AutoCloseable {

    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** A class of the runtime client and of each artifact it depends on. */
    private static final List<String> RUNTIME_CLASSES = List.of(MAIN_CLASS,
            "com.amazonaws.services.lambda.runtime.Context",
            "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
            "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

    /**
     * Where the client loads its native library from. Without it, every client copies the library
     * to the same {@code /tmp/.libaws-lambda-jni.so} as it starts, and clients starting together
     * overwrite the file another one is mapping (SIGBUS); AWS's runtime has it installed once.
     */
    private static final String NATIVE_LIBRARY_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    final String name;
    final RuntimeApiEmulator runtimeApi;
    final Path log;
    final long startedNanos;
    private final Process process;

    private RuntimeClientFunction(String name, RuntimeApiEmulator runtimeApi, Path log, Process process,
                                  long startedNanos) {
        this.name = name;
        this.runtimeApi = runtimeApi;
        this.log = log;
        this.process = process;
        this.startedNanos = startedNanos;
        process.onExit().thenRun(() -> runtimeApi.abandon(
                new IllegalStateException(name + " exited with " + process.exitValue() + "; its output:\n" + output())));
    }

    /**
     * @param taskRoot    the shipped jar unpacked ({@link #unpack})
     * @param handler     the handler string, as in the template
     * @param environment the function's variables; the runtime's own are added here (a null value
     *                    leaves one of them out)
     */
    static RuntimeClientFunction start(String name, Path taskRoot, String handler, Map<String, String> environment,
                                       Path logs) throws IOException {
        RuntimeApiEmulator runtimeApi = new RuntimeApiEmulator(name);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-D" + NATIVE_LIBRARY_PROPERTY + "=" + nativeLibrary(logs.getParent()));
        command.addAll(List.of("-cp", runtimeClassPath(), MAIN_CLASS, handler));
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("LANG", "C.UTF-8");
        env.put("TZ", ":UTC");
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi.address());
        env.put("_HANDLER", handler);
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("AWS_LAMBDA_FUNCTION_NAME", name);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + name);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/02/[$LATEST]0123456789abcdef");
        // What the template's LoggingConfig (LogFormat JSON, ApplicationLogLevel INFO) has Lambda set.
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_LAMBDA_LOG_LEVEL", "INFO");
        env.put("AWS_REGION", "us-west-2");
        env.put("AWS_DEFAULT_REGION", "us-west-2");
        // The function role's temporary credentials, which Lambda hands over in the environment.
        env.put("AWS_ACCESS_KEY_ID", "AKIDRUNTIMECLIENT");
        env.put("AWS_SECRET_ACCESS_KEY", "runtime-client-secret");
        env.put("AWS_SESSION_TOKEN", "runtime-client-session");
        // A null value removes a variable the runtime would set (a SnapStart function has no access keys).
        environment.forEach((variable, value) -> {
            if (value == null) {
                env.remove(variable);
            } else {
                env.put(variable, value);
            }
        });
        Files.createDirectories(logs);
        Path log = logs.resolve(name + ".log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        long started = System.nanoTime();
        return new RuntimeClientFunction(name, runtimeApi, log, builder.start(), started);
    }

    /** Answers one event, waiting at most {@code timeout}. */
    RuntimeApiEmulator.Outcome invoke(String event, Duration timeout) {
        try {
            return runtimeApi.submit(event).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(name + " did not answer: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(name + " did not answer within " + timeout + "; its output:\n" + output());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The response body of one event, which must not have failed. */
    String answer(String event) {
        RuntimeApiEmulator.Outcome outcome = invoke(event, Duration.ofSeconds(60));
        if (outcome.error()) {
            throw new AssertionError(name + " reported an error: " + outcome.body() + "\nits output:\n" + output());
        }
        return outcome.body();
    }

    boolean exited(Duration within) throws InterruptedException {
        return process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runtimeApi.close();
    }

    /** The shipped jar, unpacked as Lambda unpacks a deployment package. */
    static Path unpack(Path jar, Path into) throws IOException {
        if (Files.isDirectory(into)) {
            try (var walk = Files.walk(into)) {
                walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        Files.createDirectories(into);
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the jar's root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(new NonClosing(zip), target);
                }
            }
        }
        return into;
    }

    /** The client's native library for this machine, copied out of its jar once. */
    private static synchronized Path nativeLibrary(Path dir) throws IOException {
        String arch = System.getProperty("os.arch").matches("aarch64|arm64") ? "aarch_64" : "x86_64";
        String name = "libaws-lambda-jni.linux-" + arch + ".so";
        Path library = dir.resolve(name).toAbsolutePath();
        if (!Files.isRegularFile(library)) {
            Files.createDirectories(dir);
            try (InputStream in = RuntimeClientFunction.class.getClassLoader()
                    .loadClass(MAIN_CLASS).getResourceAsStream("/jni/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the runtime client's jar has no /jni/" + name);
                }
                Path partial = Files.createTempFile(dir, name, ".part");
                Files.copy(in, partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, library, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the runtime client is not on the test class path", e);
            }
        }
        return library;
    }

    /**
     * The jars of the runtime client and what it depends on, found by a class of each (the class
     * path property is Maven's own under exec:java).
     */
    private static String runtimeClassPath() {
        List<String> entries = new ArrayList<>();
        for (String marker : RUNTIME_CLASSES) {
            try {
                Class<?> type = Class.forName(marker, false, RuntimeClientFunction.class.getClassLoader());
                entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
            } catch (ClassNotFoundException | java.net.URISyntaxException e) {
                throw new IllegalStateException("the runtime client's jars are not all on the test class path: "
                        + marker, e);
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Keeps {@link Files#copy} from closing the zip stream after one entry. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
        }
    }
}
