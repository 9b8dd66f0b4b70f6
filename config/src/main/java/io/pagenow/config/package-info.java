/**
 * Shared by the composition roots only (the Javalin server, the Lambda functions): one reader of
 * the environment variables, one {@code ConfigurationException} naming the variable, one redaction
 * of URLs for logs. JDK only; the core never sees it.
 */
package io.pagenow.config;
