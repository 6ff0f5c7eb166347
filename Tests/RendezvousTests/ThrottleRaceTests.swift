import Foundation
import RendezvousDomain
@testable import RendezvousPersistence
import SQLKit
import Testing

/// Mail throttles hold under parallel requests (the same address asked from many tabs, phones or
/// instances at once): "at most one sign-in link per address every two minutes" and "one follow
/// confirmation an hour" send one mail, not one per request. On PostgreSQL the reads and the
/// insert are serialised per address by an advisory lock (SQLite's one write lock does it there).
@Suite("Mail throttles under parallel requests")
struct ThrottleRaceTests {
    static func count(_ app: TestApp, _ kind: OutboxKind) async throws -> Int {
        struct Row: Decodable { var count: Int }
        return try await app.persistence.sql.raw("SELECT COUNT(*) AS count FROM outbox WHERE kind = \(bind: kind.rawValue)").first(decoding: Row.self)?.count ?? 0
    }

    @Test(arguments: DatabaseKind.available)
    func manySignInRequestsAtOnceSendOneLink(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: app.clock.now())
            let sent = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await app.persistence.attendees.requestSignIn(email: "person1@example.org", language: .fr, now: app.clock.now()) }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(sent == 1)
            #expect(try await Self.count(app, .attendeeSignIn) == 1)
        }
    }

    @Test(arguments: DatabaseKind.available)
    func manyFollowRequestsAtOnceSendOneConfirmation(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            // Asked two hours ago and never confirmed: the row exists, the hour has passed.
            try await app.persistence.audience.requestFollow(chapter: chapter.id, email: "fan@example.org", language: .fr,
                                                             now: app.clock.now().addingTimeInterval(-7200))
            #expect(try await Self.count(app, .followConfirm) == 1)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await app.persistence.audience.requestFollow(chapter: chapter.id, email: "fan@example.org", language: .fr, now: app.clock.now()) }
                }
                try await group.waitForAll()
            }
            #expect(try await Self.count(app, .followConfirm) == 2)
        }
    }

    /// Two people tapping "We met" on each other at the same moment end up connected (one
    /// starts the link, the other accepts it), not with a link waiting for an answer already given.
    @Test(arguments: DatabaseKind.available)
    func twoPeopleTappingEachOtherAtOnceAreConnected(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 40)
            var people: [Registration.ID] = []
            for index in 0..<16 {
                people.append(try await app.persistence.registrations.register(Fixture.profile(index), for: event.id, now: app.clock.now()).registration.id)
            }
            try await app.persistence.sql.raw("UPDATE registrations SET checked_in_at = \(bind: app.clock.now()) WHERE event_id = \(bind: event.id.uuid)").run()
            let pairs = stride(from: 0, to: people.count, by: 2).map { (people[$0], people[$0 + 1]) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (a, b) in pairs {
                    group.addTask { _ = try await app.persistence.contacts.weMet(me: a, other: b, note: "", now: app.clock.now()) }
                    group.addTask { _ = try await app.persistence.contacts.weMet(me: b, other: a, note: "", now: app.clock.now()) }
                }
                try await group.waitForAll()
            }
            for (a, b) in pairs { #expect(try await app.persistence.contacts.state(me: a, other: b) == .connected) }
            #expect(try await app.persistence.followUp.result(of: event.id).acceptedContacts == pairs.count)
        }
    }

    /// Someone who came to several of the chapter's evenings and asked for its news becomes a
    /// follower when their morning-after mails go; runs at once (instances, an organiser's "send
    /// now") make them a follower once, none failing on the address the other just added.
    @Test(arguments: DatabaseKind.available)
    func morningAfterRunsAtOnceMakeAPastAttendeeAFollowerOnce(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            var events: [Event] = []
            for index in 0..<8 {
                let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10, startsIn: Double(30 + index), title: "Soirée \(index)")
                _ = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: app.clock.now())
                events.append(event)
            }
            try await app.persistence.sql.raw("UPDATE registrations SET consent_news = \(bind: true), checked_in_at = \(bind: app.clock.now())").run()
            let later = app.clock.now().addingTimeInterval(40 * 86400)
            let queued = try await withThrowingTaskGroup(of: Int?.self) { group in
                for event in events {
                    group.addTask { try await app.persistence.followUp.sendMorningAfterNow(event: event.id, chapter: chapter.id, now: later) }
                }
                return try await group.reduce(0) { $0 + ($1 ?? 0) }
            }
            #expect(queued == events.count)
            struct Member: Decodable { var email: String; var status: String }
            let audience = try await app.persistence.sql.raw("SELECT email, status FROM chapter_audience").all(decoding: Member.self)
            #expect(audience.map(\.email) == ["person1@example.org"])
            #expect(audience.map(\.status) == ["following"])
        }
    }

    /// The same feedback sent twice at once (a double click, two tabs) is one answer, not an error.
    @Test(arguments: DatabaseKind.available)
    func feedbackSentTwiceAtOnceIsOneAnswer(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let chapter = try await Fixture.chapter(app.persistence)
            let event = try await Fixture.event(app.persistence, chapter: chapter, capacity: 10)
            let person = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: app.clock.now()).registration.id
            try await app.persistence.sql.raw("UPDATE registrations SET checked_in_at = \(bind: app.clock.now()) WHERE id = \(bind: person.uuid)").run()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for score in 0..<8 {
                    group.addTask { try await app.persistence.followUp.saveFeedback(FeedbackInput(score: score, comment: "x"), registration: person, now: app.clock.now()) }
                }
                try await group.waitForAll()
            }
            #expect(try await app.persistence.followUp.result(of: event.id).answers == 1)
            // Someone the door never admitted: refused, nothing written.
            let absent = try await app.persistence.registrations.register(Fixture.profile(2), for: event.id, now: app.clock.now()).registration.id
            await #expect(throws: FeedbackError.notAttended) {
                try await app.persistence.followUp.saveFeedback(FeedbackInput(score: 5, comment: ""), registration: absent, now: app.clock.now())
            }
            await #expect(throws: FeedbackError.notFound) {
                try await app.persistence.followUp.saveFeedback(FeedbackInput(score: 5, comment: ""), registration: .init(UUID()), now: app.clock.now())
            }
        }
    }
}
