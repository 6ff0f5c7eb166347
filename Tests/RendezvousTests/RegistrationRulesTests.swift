import Foundation
import RendezvousDomain
@testable import RendezvousPersistence
import SQLKit
import Testing

@Suite("Registration and waitlist rules, on each database")
struct RegistrationRulesTests {
    @Test(arguments: DatabaseKind.available)
    func seatsThenWaitlistInArrivalOrder(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 2)
            var outcomes: [RegistrationOutcome] = []
            for index in 0..<5 { outcomes.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start)) }
            #expect(outcomes.map(\.registration.status) == [.confirmed, .confirmed, .waitlisted, .waitlisted, .waitlisted])
            #expect(outcomes.map(\.waitlistPosition) == [nil, nil, 1, 2, 3])
            let occupancy = try await db.events.occupancy(of: event)
            #expect(occupancy == Occupancy(capacity: 2, confirmed: 2, offered: 0, waitlisted: 3))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func oneActiveRegistrationPerEmail(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10)
            let first = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            var again = Fixture.profile(1)
            again.email = "  PERSON1@Example.org "
            await #expect(throws: RegistrationActionError.duplicateEmail) {
                try await db.registrations.register(again, for: event.id, now: Fixture.start)
            }
            // Once cancelled, the same person may register again.
            _ = try await db.registrations.cancel(first.registration.id, token: first.registration.manageToken, now: Fixture.start)
            let second = try await db.registrations.register(again, for: event.id, now: Fixture.start)
            #expect(second.registration.status == .confirmed)
            #expect(try await db.events.occupancy(of: event).confirmed == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func cancellationOffersTheSeatToTheFirstInLine(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db, offerHours: 24)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let seated = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start)
            let firstInLine = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let second = try await db.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)

            let now = Fixture.start.addingTimeInterval(3600)
            _ = try await db.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: now)

            let offered = try #require(try await db.registrations.registration(id: firstInLine.registration.id))
            #expect(offered.status == .offered)
            #expect(offered.offerExpiresAt == now.addingTimeInterval(24 * 3600))
            let still = try #require(try await db.registrations.registration(id: second.registration.id))
            #expect(still.status == .waitlisted)
            #expect(try await db.registrations.waitlistPosition(of: still) == 1)
            // The offered seat is held: nobody new gets it.
            let late = try await db.registrations.register(Fixture.profile(3), for: event.id, now: now)
            #expect(late.registration.status == .waitlisted)
            #expect(late.waitlistPosition == 2)

            let accepted = try await db.registrations.accept(offered.id, token: offered.manageToken, now: now.addingTimeInterval(60))
            #expect(accepted.status == .confirmed)
            try await expectCountersMatch(db, event)
            #expect(try await db.events.occupancy(of: event) == Occupancy(capacity: 1, confirmed: 1, offered: 0, waitlisted: 2))
        }
    }

    @Test(arguments: DatabaseKind.available)
    func expiredOfferPassesToTheNextInLine(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let clock = ManualClock(Fixture.start)
            let chapter = try await Fixture.chapter(db, offerHours: 12)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let seated = try await db.registrations.register(Fixture.profile(0), for: event.id, now: clock.now())
            let first = try await db.registrations.register(Fixture.profile(1), for: event.id, now: clock.now())
            let second = try await db.registrations.register(Fixture.profile(2), for: event.id, now: clock.now())
            _ = try await db.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: clock.now())

            clock.advance(by: 11 * 3600)
            #expect(try await db.registrations.expireOffers(now: clock.now()) == 0)
            clock.advance(by: 2 * 3600)
            #expect(try await db.registrations.expireOffers(now: clock.now()) == 1)

            #expect(try await db.registrations.registration(id: first.registration.id)?.status == .expired)
            let next = try #require(try await db.registrations.registration(id: second.registration.id))
            #expect(next.status == .offered)
            #expect(next.offerExpiresAt == clock.now().addingTimeInterval(12 * 3600))
            // Too late to accept the expired offer.
            await #expect(throws: RegistrationActionError.noOpenOffer) {
                try await db.registrations.accept(first.registration.id, token: first.registration.manageToken, now: clock.now())
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func acceptingAfterTheDeadlineIsRefusedAndPassesTheSeatOn(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db, offerHours: 1)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let seated = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start)
            let first = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let second = try await db.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            _ = try await db.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: Fixture.start)
            await #expect(throws: RegistrationActionError.offerExpired) {
                try await db.registrations.accept(first.registration.id, token: first.registration.manageToken, now: Fixture.start.addingTimeInterval(3601))
            }
            #expect(try await db.registrations.registration(id: second.registration.id)?.status == .offered)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func declineOffersTheNextAndWrongTokenIsNotFound(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1)
            let seated = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start)
            let first = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            let second = try await db.registrations.register(Fixture.profile(2), for: event.id, now: Fixture.start)
            await #expect(throws: RegistrationActionError.notFound) {
                try await db.registrations.cancel(seated.registration.id, token: second.registration.manageToken, now: Fixture.start)
            }
            _ = try await db.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: Fixture.start)
            _ = try await db.registrations.decline(first.registration.id, token: first.registration.manageToken, now: Fixture.start)
            #expect(try await db.registrations.registration(id: second.registration.id)?.status == .offered)
            try await expectCountersMatch(db, event)
            // Cancelling again answers for the state it finds, and moves nothing.
            let again = try await db.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: Fixture.start)
            #expect(again.status == .cancelled)
            #expect(try await db.registrations.registration(id: second.registration.id)?.status == .offered)
            try await expectCountersMatch(db, event)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func offerNeverRunsPastTheEventStart(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db, offerHours: 48)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 1, startsIn: 1)
            let seated = try await db.registrations.register(Fixture.profile(0), for: event.id, now: Fixture.start)
            let waiting = try await db.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
            _ = try await db.registrations.cancel(seated.registration.id, token: seated.registration.manageToken, now: Fixture.start)
            #expect(try await db.registrations.registration(id: waiting.registration.id)?.offerExpiresAt == event.startsAt)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func raisingCapacityOffersSeatsAndLoweringBelowHeldSeatsIsRefused(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 2)
            var outcomes: [RegistrationOutcome] = []
            for index in 0..<5 { outcomes.append(try await db.registrations.register(Fixture.profile(index), for: event.id, now: Fixture.start)) }
            _ = try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: 4, status: nil, now: Fixture.start)
            let statuses = try await outcomes.asyncMap { try await db.registrations.registration(id: $0.registration.id)?.status }
            #expect(statuses == [.confirmed, .confirmed, .offered, .offered, .waitlisted])
            try await expectCountersMatch(db, event)
            await #expect(throws: RegistrationActionError.capacityBelowConfirmed(confirmed: 4)) {
                try await db.events.updateEvent(event.id, title: nil, description: nil, capacity: 3, status: nil, now: Fixture.start)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func registrationClosesAtTheStartAndForDrafts(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            let chapter = try await Fixture.chapter(db)
            let event = try await Fixture.event(db, chapter: chapter, capacity: 10, startsIn: 1)
            await #expect(throws: RegistrationActionError.eventNotOpen) {
                try await db.registrations.register(Fixture.profile(1), for: event.id, now: event.startsAt)
            }
            // A draft is invisible to the public: registering for it is "not found".
            let draft = try await Fixture.event(db, chapter: chapter, capacity: 10, status: .draft)
            await #expect(throws: RegistrationActionError.notFound) {
                try await db.registrations.register(Fixture.profile(1), for: draft.id, now: Fixture.start)
            }
        }
    }

    @Test(arguments: DatabaseKind.available)
    func migrationsRevertCleanly(_ kind: DatabaseKind) async throws {
        try await withDatabase(kind) { db in
            try await db.revertAll()
            try await db.migrate()
            let chapter = try await Fixture.chapter(db)
            #expect(try await db.chapters.chapter(slug: "toulouse")?.id == chapter.id)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}

/// The event row's counters must always agree with the registrations they summarise.
func expectCountersMatch(_ db: Persistence, _ event: Event, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    struct Counters: Decodable { var seatsTaken: Int; var waitingCount: Int }
    let counters = try #require(try await db.sql.raw("SELECT seats_taken, waiting_count FROM events WHERE id = \(bind: event.id.uuid)")
        .row(Counters.self))
    let occupancy = try await db.events.occupancy(of: event)
    #expect(counters.seatsTaken == occupancy.confirmed + occupancy.offered, sourceLocation: sourceLocation)
    #expect(counters.waitingCount == occupancy.waitlisted, sourceLocation: sourceLocation)
}
