package io.pagenow.bench;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The XMPP mode's stanzas, built and read; the received ones as ejabberd 23.01 sent them over /ws. */
class XmppTest {

    @Test
    void readsTheStreamOpeningAndTheFeaturesBeforeAndAfterAuthentication() {
        Xmpp.Stanza open = Xmpp.parse("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' id='7091453636502194724' "
                + "version='1.0' xml:lang='en' from='bench.local'/>");
        Xmpp.Stanza mechanisms = Xmpp.parse("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>DIGEST-MD5</mechanism>"
                + "<mechanism>PLAIN</mechanism><mechanism>SCRAM-SHA-1</mechanism></mechanisms></stream:features>");
        Xmpp.Stanza bind = Xmpp.parse("<stream:features xmlns:stream='http://etherx.jabber.org/streams'>"
                + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><session xmlns='urn:ietf:params:xml:ns:xmpp-session'>"
                + "<optional/></session></stream:features>");

        assertEquals("open", open.name());
        assertEquals("bench.local", open.from());
        assertEquals("features", mechanisms.name());
        assertEquals("mechanisms", mechanisms.child());
        assertEquals("bind", bind.child());
    }

    @Test
    void readsTheSaslSuccessAndTheBoundJid() {
        Xmpp.Stanza success = Xmpp.parse("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
        Xmpp.Stanza bound = Xmpp.parse("<iq xmlns='jabber:client' type='result' id='bind'>"
                + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>u1@bench.local/r</jid></bind></iq>");

        assertEquals("success", success.name());
        assertEquals("iq", bound.name());
        assertEquals("result", bound.type());
        assertEquals("bind", bound.id());
        assertEquals("u1@bench.local/r", bound.jid());
    }

    @Test
    void readsAChatMessageWithItsIdSenderAndUnescapedBody() {
        Xmpp.Stanza message = Xmpp.parse("<message xmlns='jabber:client' xml:lang='en' to='u2@bench.local' "
                + "from='u1@bench.local/r' type='chat' id='bx-7'><body>#7 123456 lorem &amp; ipsum</body></message>");

        assertEquals("message", message.name());
        assertEquals("chat", message.type());
        assertEquals("bx-7", message.id());
        assertEquals("u1", message.fromUser());
        assertEquals("#7 123456 lorem & ipsum", message.body());
    }

    @Test
    void readsAPresenceWithAStatusAndOneWithoutAfterADelay() {
        Xmpp.Stanza page = Xmpp.parse("<presence xmlns='jabber:client' xml:lang='en' to='u1@bench.local/r' "
                + "from='u2@bench.local/r'><status>https://s7.example.com/p/7 t7</status></presence>");
        Xmpp.Stanza online = Xmpp.parse("<presence xmlns='jabber:client' xml:lang='en' to='u2@bench.local/r' "
                + "from='u1@bench.local/r'><delay from='u1@bench.local/r' stamp='2026-12-02T14:59:50.456801Z' "
                + "xmlns='urn:xmpp:delay'/></presence>");

        assertEquals("https://s7.example.com/p/7 t7", page.status());
        assertEquals("u2", page.fromUser());
        assertNull(online.status());
        assertEquals("u1", online.fromUser());
        assertFalse(page.delayed());
        assertTrue(online.delayed());
    }

    @Test
    void readsAnErrorBouncedBackWithItsConditionBeforeTheBody() {
        Xmpp.Stanza bounced = Xmpp.parse("<message xmlns='jabber:client' xml:lang='en' to='u1@bench.local/r' "
                + "from='nobody@elsewhere.example' type='error' id='bx-8'><error type='cancel'>"
                + "<remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text xml:lang='en' "
                + "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>DNS lookup failed: enoname</text></error>"
                + "<body>#8</body></message>");

        assertEquals("error", bounced.type());
        assertEquals("error", bounced.child());
        assertEquals("#8", bounced.body());
    }

    @Test
    void buildsWhatTheGeneratorSendsEscapingWhatItCarries() {
        assertEquals("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='bench.local' version='1.0'/>",
                Xmpp.open("bench.local"));
        assertEquals("<message type='chat' to='u2@bench.local' id='bx-7'><body>#7 a &lt;b&gt; &amp; &apos;c&apos;</body></message>",
                Xmpp.chat("u2@bench.local", "bx-7", "#7 a <b> & 'c'"));
        assertEquals("<presence><status>https://s.example.com/?a=1&amp;b=2 t3</status></presence>",
                Xmpp.presence("https://s.example.com/?a=1&b=2 t3"));
        assertEquals("<presence/>", Xmpp.presence(null));
        assertEquals("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>tab1</resource>"
                + "</bind></iq>", Xmpp.bind("bind", "tab1"));
    }

    @Test
    void authenticatesWithSaslPlainAsEjabberdDecodesIt() {
        String auth = Xmpp.authPlain("u1", "p");
        String payload = auth.substring(auth.indexOf('>') + 1, auth.lastIndexOf('<'));

        assertEquals("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>AHUxAHA=</auth>", auth);
        assertEquals("\0u1\0p", new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8));
    }

    @Test
    void readsWhatItBuildsBackUnchanged() {
        Xmpp.Stanza message = Xmpp.parse(Xmpp.chat("u2@bench.local", "bx-1", "#1 <&>'\""));

        assertEquals("#1 <&>'\"", message.body());
        assertEquals("u2@bench.local", message.to());
    }

    @Test
    void refusesAFrameThatIsNotOneWholeElement() {
        assertThrows(IllegalArgumentException.class, () -> Xmpp.parse("<message><body>cut"));
        assertThrows(IllegalArgumentException.class, () -> Xmpp.parse("not xml"));
        assertThrows(IllegalArgumentException.class, () -> Xmpp.parse(""));
    }
}
