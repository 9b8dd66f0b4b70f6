package io.pagenow.core.archfixture.port.out;

/** Breaks "port packages hold only interfaces and records" on purpose: a port whose value is a class. */
public interface PortWithAClass {

    Value find(String id);

    final class Value {
    }
}
