package io.pagenow.config;

/**
 * A variable is missing, malformed or out of range. The message starts with the variable's name
 * and never quotes a secret's value. An {@link IllegalArgumentException}, so the server's
 * {@code Main} reports it as a configuration error (exit 2) and a Lambda runtime as the init error.
 */
public final class ConfigurationException extends IllegalArgumentException {

    private final String variable;

    /**
     * @param variable the variable the deployer has to fix
     * @param problem  what is wrong with it, completing "{@code VARIABLE} ..."
     */
    public ConfigurationException(String variable, String problem) {
        super(variable + " " + problem);
        this.variable = variable;
    }

    public String variable() {
        return variable;
    }
}
