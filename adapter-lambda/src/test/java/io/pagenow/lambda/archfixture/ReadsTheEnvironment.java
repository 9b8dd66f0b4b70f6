package io.pagenow.lambda.archfixture;

/** Breaks "only the container reads the environment" on purpose. */
public final class ReadsTheEnvironment {
    public String region() {
        return System.getenv("AWS_REGION");
    }
}
