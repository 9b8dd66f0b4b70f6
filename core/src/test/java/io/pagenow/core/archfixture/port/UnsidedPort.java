package io.pagenow.core.archfixture.port;

/** Breaks "ports say which side they are on" on purpose: neither in port.in nor in port.out. */
public interface UnsidedPort {
}
