/**
 * Chat, the use cases at the centre of the hexagon: conversations, messages, read marks and
 * typing, behind the inbound port {@link io.pagenow.core.chat.port.in.Chat} (built by {@link
 * io.pagenow.core.chat.ChatCore}) and the records it takes and returns. JDK only.
 */
package io.pagenow.core.chat;
