package io.pagenow.core.presence.port.out;

/** Outbound port: the Public Suffix List. */
public interface RegistrableDomains {

    /**
     * The registrable domain of a host name ({@code news.bbc.co.uk} -> {@code bbc.co.uk},
     * {@code alice.github.io} -> {@code alice.github.io}); the host itself when it has none
     * (an IP address, {@code localhost}, a public suffix).
     */
    String of(String host);
}
