/**
 * Chat's outbound port: the conversation store the use cases need, implemented by driven adapters
 * ({@code adapter-postgres}, the core's in-memory store) and held to one behaviour by a contract
 * suite in the core's test jar.
 */
package io.pagenow.core.chat.port.out;
