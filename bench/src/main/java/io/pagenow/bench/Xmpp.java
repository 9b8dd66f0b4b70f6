package io.pagenow.bench;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The few XMPP stanzas the load generator speaks to a peer server, framed as RFC 7395 (XMPP over
 * WebSocket: one whole element per text frame, {@code <open/>} and {@code <close/>} instead of a
 * stream header). Building escapes what it puts in; parsing reads one frame with the JDK's StAX
 * reader and keeps only what the scenarios check.
 */
final class Xmpp {

    static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    static final String SUBPROTOCOL = "xmpp";

    private static final XMLInputFactory XML = XMLInputFactory.newFactory();

    static {
        // A frame from the server is data: no DTD, no external entity is ever fetched.
        XML.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        XML.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    /**
     * One received frame: its element's local name and the attributes and children the
     * scenarios read ({@code null} when absent).
     *
     * @param body   a message's {@code <body>} text
     * @param status a presence's {@code <status>} text
     * @param jid    the {@code <jid>} of a bind result
     * @param child  the local name of the first child element (an iq's payload, a failure's reason)
     * @param delayed whether it carries a {@code <delay/>} (XEP-0203): ejabberd marks so a stanza
     *                it repeats from earlier, e.g. a contact's last presence answered to a probe
     */
    record Stanza(String name, String type, String id, String from, String to, String body, String status,
                  String jid, String child, boolean delayed) {

        /** The user part of {@code from} (before {@code @}), or {@code null}. */
        String fromUser() {
            return from == null || from.indexOf('@') < 0 ? null : from.substring(0, from.indexOf('@'));
        }
    }

    private Xmpp() {
    }

    static String open(String domain) {
        return "<open xmlns='" + FRAMING + "' to='" + escape(domain) + "' version='1.0'/>";
    }

    static String close() {
        return "<close xmlns='" + FRAMING + "'/>";
    }

    /** SASL PLAIN (RFC 4616): authorization identity empty, then user and password. */
    static String authPlain(String user, String password) {
        String plain = "\0" + user + "\0" + password;
        return "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>"
                + Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8)) + "</auth>";
    }

    static String bind(String id, String resource) {
        return "<iq type='set' id='" + escape(id) + "'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>"
                + escape(resource) + "</resource></bind></iq>";
    }

    /** Available presence; with a status it carries the page (our {@code update-presence}). */
    static String presence(String status) {
        return status == null ? "<presence/>" : "<presence><status>" + escape(status) + "</status></presence>";
    }

    static String chat(String to, String id, String body) {
        return "<message type='chat' to='" + escape(to) + "' id='" + escape(id) + "'><body>" + escape(body)
                + "</body></message>";
    }

    /** XML's five predefined entities; the ampersand first, so no entity is escaped twice. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")
                .replace("\"", "&quot;");
    }

    /** Reads one frame; a frame that is not one well-formed element is refused with what was wrong. */
    static Stanza parse(String frame) {
        try {
            XMLStreamReader r = XML.createXMLStreamReader(new StringReader(frame));
            try {
                while (r.hasNext() && r.next() != XMLStreamConstants.START_ELEMENT) {
                    // skip a prolog, if any
                }
                if (!r.isStartElement()) {
                    throw new IllegalArgumentException("no element in the frame");
                }
                String name = r.getLocalName();
                String type = r.getAttributeValue(null, "type");
                String id = r.getAttributeValue(null, "id");
                String from = r.getAttributeValue(null, "from");
                String to = r.getAttributeValue(null, "to");
                String body = null;
                String status = null;
                String jid = null;
                String child = null;
                boolean delayed = false;
                int depth = 1;
                while (depth > 0 && r.hasNext()) {
                    int event = r.next();
                    if (event == XMLStreamConstants.START_ELEMENT) {
                        depth++;
                        String local = r.getLocalName();
                        if (depth == 2 && child == null) {
                            child = local;
                        }
                        switch (local) {
                            case "body" -> body = body == null ? r.getElementText() : body;
                            case "status" -> status = status == null ? r.getElementText() : status;
                            case "jid" -> jid = r.getElementText();
                            default -> {
                                delayed |= depth == 2 && local.equals("delay");
                                continue;
                            }
                        }
                        depth--; // getElementText consumed the end tag
                    } else if (event == XMLStreamConstants.END_ELEMENT) {
                        depth--;
                    }
                }
                if (depth > 0) {
                    throw new IllegalArgumentException("unclosed <" + name + "> in the frame");
                }
                return new Stanza(name, type, id, from, to, body, status, jid, child, delayed);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not one XML element: " + e.getMessage(), e);
        }
    }
}
