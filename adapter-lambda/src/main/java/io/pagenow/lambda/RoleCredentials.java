package io.pagenow.lambda;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * The function role's credentials, which sign the Management API calls: current each time they are
 * asked for, so a source that expires refreshes behind this.
 */
@FunctionalInterface
interface RoleCredentials {

    /** @throws IllegalStateException when there are none to be had; the call it was for fails */
    AwsCredentialsIdentity current();

    /**
     * Where Lambda puts them: the access-key variables, or, where it sets none (a SnapStart
     * function, whose snapshot would otherwise hold expired ones), the container credentials
     * endpoint it names. Only these two, in this order, as the SDK's chain of the environment and
     * container providers had it: profile files and the EC2 metadata service, which the SDK's
     * default chain also tries, do not exist in a Lambda.
     */
    static RoleCredentials from(Map<String, String> environment, Clock clock) {
        Optional<String> accessKeyId = value(environment, "AWS_ACCESS_KEY_ID");
        Optional<String> secretAccessKey = value(environment, "AWS_SECRET_ACCESS_KEY");
        if (accessKeyId.isPresent() && secretAccessKey.isPresent()) {
            AwsCredentialsIdentity fixed = value(environment, "AWS_SESSION_TOKEN")
                    .<AwsCredentialsIdentity>map(token -> AwsSessionCredentialsIdentity.create(accessKeyId.get(),
                            secretAccessKey.get(), token))
                    .orElseGet(() -> AwsCredentialsIdentity.create(accessKeyId.get(), secretAccessKey.get()));
            return () -> fixed;
        }
        Optional<CredentialsEndpoint> container = CredentialsEndpoint.from(environment);
        if (container.isPresent()) {
            return new ContainerCredentials(container.get(), clock);
        }
        return () -> {
            throw new IllegalStateException("No AWS credentials: neither AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
                    + " nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set");
        };
    }

    /** A variable's value without the blanks around it; a blank one is not set. */
    static Optional<String> value(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(v -> !v.isEmpty());
    }
}
