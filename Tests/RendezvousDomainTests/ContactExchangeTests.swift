import Foundation
import RendezvousDomain
import Testing

/// "We met": who sees what when, and what tapping does; the sign-in link's life.
@Suite("Contact exchange rules")
struct ContactExchangeTests {
    @Test func aPendingLinkShowsOnlyWhatTheCardShows() {
        let sharesAll = SharingChoices(email: true, linkedin: true)
        // Not consenting on the card: nothing but the name and role, whatever the settings.
        #expect(ContactExchange.visibility(status: .pending, cardSharing: false, choices: sharesAll)
                == ContactVisibility(linkedin: false, email: false, askMeAbout: false))
        // Consenting on the card: LinkedIn and "ask me about", as the card — never the email.
        #expect(ContactExchange.visibility(status: .pending, cardSharing: true, choices: sharesAll)
                == ContactVisibility(linkedin: true, email: false, askMeAbout: true))
        // Declined looks like pending to the initiator: still only the card.
        #expect(ContactExchange.visibility(status: .declined, cardSharing: false, choices: sharesAll).email == false)
    }

    @Test func acceptedShowsWhatEachChoseToShareAndNothingByDefault() {
        #expect(ContactExchange.visibility(status: .accepted, cardSharing: true, choices: SharingChoices())
                == ContactVisibility(linkedin: true, email: false, askMeAbout: true))
        #expect(ContactExchange.visibility(status: .accepted, cardSharing: true, choices: SharingChoices(email: true, linkedin: false))
                == ContactVisibility(linkedin: true, email: true, askMeAbout: true))
    }

    /// The profile consent governs LinkedIn and "ask me about" everywhere (issue 16): withdrawn,
    /// even a connected person no longer sees them, whatever the profile's sharing choices.
    @Test func withdrawingTheProfileConsentHidesLinkedInAndAskMeAboutFromConnectedPeopleToo() {
        #expect(ContactExchange.visibility(status: .accepted, cardSharing: false, choices: SharingChoices())
                == ContactVisibility(linkedin: false, email: false, askMeAbout: false))
        // What the profile explicitly shares with accepted people still goes to them.
        #expect(ContactExchange.visibility(status: .accepted, cardSharing: false, choices: SharingChoices(email: true, linkedin: true))
                == ContactVisibility(linkedin: true, email: true, askMeAbout: false))
        #expect(ContactExchange.visibility(status: .pending, cardSharing: false, choices: SharingChoices(email: true, linkedin: true))
                == ContactVisibility(linkedin: false, email: false, askMeAbout: false))
    }

    @Test func eachSideSeesItsOwnStateAndADeclineIsNeverAnnounced() {
        #expect(ContactExchange.state(.pending, side: .initiator) == .waiting)
        #expect(ContactExchange.state(.pending, side: .recipient) == .theySaidYouMet)
        #expect(ContactExchange.state(.accepted, side: .initiator) == .connected)
        #expect(ContactExchange.state(.accepted, side: .recipient) == .connected)
        #expect(ContactExchange.state(.declined, side: .initiator) == .waiting)
        #expect(ContactExchange.state(.declined, side: .recipient) == nil)
    }

    @Test func tappingWeMetStartsAcceptsOrChangesNothing() {
        #expect(ContactExchange.weMet(existing: nil, tapper: nil) == .start)
        #expect(ContactExchange.weMet(existing: .pending, tapper: .initiator) == .unchanged)
        #expect(ContactExchange.weMet(existing: .declined, tapper: .initiator) == .unchanged)
        // Both tapped: mutual.
        #expect(ContactExchange.weMet(existing: .pending, tapper: .recipient) == .accept)
        #expect(ContactExchange.weMet(existing: .declined, tapper: .recipient) == .accept)
        #expect(ContactExchange.weMet(existing: .accepted, tapper: .recipient) == .unchanged)
        #expect(ContactExchange.weMet(existing: .accepted, tapper: .initiator) == .unchanged)
    }

    @Test func onlyTheRecipientAnswersAndNotesArePrivate() {
        #expect(ContactExchange.canAnswer(.pending, side: .recipient))
        #expect(ContactExchange.canAnswer(.declined, side: .recipient))
        #expect(!ContactExchange.canAnswer(.pending, side: .initiator))
        #expect(!ContactExchange.canAnswer(.accepted, side: .recipient))
        #expect(ContactExchange.noteColumn(for: .initiator) != ContactExchange.noteColumn(for: .recipient))
    }

    @Test func onlyTwoPeopleOfTheSameEveningMayMeetAndOnePairIsOneLink() {
        #expect(ContactExchange.mayMeet(sameEvent: true, bothActive: true, sameEmail: false))
        // Once the door admits people, only those it admitted.
        #expect(ContactExchange.mayMeet(sameEvent: true, bothActive: true, sameEmail: false, doorUsed: true, bothCame: true))
        #expect(!ContactExchange.mayMeet(sameEvent: true, bothActive: true, sameEmail: false, doorUsed: true, bothCame: false))
        #expect(!ContactExchange.mayMeet(sameEvent: false, bothActive: true, sameEmail: false))
        #expect(!ContactExchange.mayMeet(sameEvent: true, bothActive: false, sameEmail: false))
        #expect(!ContactExchange.mayMeet(sameEvent: true, bothActive: true, sameEmail: true))
        let a = UUID(), b = UUID()
        #expect(ContactExchange.pairKey(a, b) == ContactExchange.pairKey(b, a))
        #expect(ContactExchange.pairKey(a, b) != ContactExchange.pairKey(a, UUID()))
    }

    @Test func aSignInLinkWorksOnceForFifteenMinutesAndMailsAreSpaced() {
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(AttendeeSignIn.linkWorks(createdAt: t0, usedAt: nil, now: t0.addingTimeInterval(14 * 60 + 59)))
        #expect(!AttendeeSignIn.linkWorks(createdAt: t0, usedAt: nil, now: t0.addingTimeInterval(15 * 60)))
        #expect(!AttendeeSignIn.linkWorks(createdAt: t0, usedAt: t0.addingTimeInterval(10), now: t0.addingTimeInterval(20)))
        #expect(AttendeeSignIn.mayMail(last: nil, now: t0))
        #expect(!AttendeeSignIn.mayMail(last: t0, now: t0.addingTimeInterval(119)))
        #expect(AttendeeSignIn.mayMail(last: t0, now: t0.addingTimeInterval(120)))
    }
}
