import RendezvousDomain
import Testing

/// What outside text (a relay's refusal, a database error, a request path) becomes before it is
/// logged: no address, no private link's token.
@Suite("Log redaction")
struct LogRedactionTests {
    @Test func addressesAreMasked() {
        #expect(LogRedaction.redact("550 5.1.1 <Zoe.Prinčeva+meetup@mail.example.org>: Recipient address rejected")
                == "550 5.1.1 <<address>>: Recipient address rejected")
        #expect(LogRedaction.redact(#"Key (event_id, active_email)=(6f1c, ana@example.org) already exists."#)
                == #"Key (event_id, active_email)=(6f1c, <address>) already exists."#)
        #expect(LogRedaction.redact("no address here: 42 @ home") == "no address here: 42 @ home")
    }

    @Test func tokensInPathsAreMaskedAndTheQueryDropped() {
        #expect(LogRedaction.path("/manage/Zm9vYmFyYmF6cXV4LW1hbmFnZS10b2tlbg/data") == "/manage/…/data")
        #expect(LogRedaction.path("/me/signin/abcdefghijklmnopqrstuvwxyz012345") == "/me/signin/…")
        #expect(LogRedaction.path("/manage/Zm9vYmFyYmF6cXV4LW1hbmFnZS10b2tlbg/badge.png") == "/manage/…/badge.png")
        #expect(LogRedaction.path("/events/6f1c2a7e-3b7d-4c1a-9e55-0a1b2c3d4e5f?email=ana@example.org") == "/events/…")
        #expect(LogRedaction.path("/organize/toulouse/audience") == "/organize/toulouse/audience")
    }
}
