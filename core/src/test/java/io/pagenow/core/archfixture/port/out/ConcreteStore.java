package io.pagenow.core.archfixture.port.out;

/** Breaks "ports are interfaces" on purpose: a class in a port package. */
public final class ConcreteStore {
}
