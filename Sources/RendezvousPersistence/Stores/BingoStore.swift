import Foundation
import RendezvousDomain
import SQLKit

/// Human bingo: the cards of an event (stored, so they stay stable), ticks, announcements.
/// A tick is checked against the matched person's facts and consent as stored now, and the
/// unique constraints (one tick per square, a person once per card, each announcement once) have
/// the last word under concurrency.
public struct BingoStore: Store { public let persistence: Persistence }

extension Persistence {
    public var bingo: BingoStore { .init(persistence: self) }
}

/// `BingoFact`s as stored in `registrations.bingo_facts`: comma-separated raw values, in catalog order.
enum BingoFacts {
    static func encode(_ facts: Set<BingoFact>) -> String {
        BingoFact.allCases.filter(facts.contains).map(\.rawValue).joined(separator: ",")
    }

    static func decode(_ text: String) -> Set<BingoFact> {
        Set(text.split(separator: ",").compactMap { BingoFact(rawValue: String($0)) })
    }
}

extension BingoStore {
    public static let sizes = [4, 5]

    // MARK: The room

    struct PlayerRow: Decodable {
        var id: UUID
        var eventId: UUID
        var firstName: String
        var lastName: String
        var jobTitle: String
        var company: String
        var askMeAbout: String
        var bingoFacts: String
        var gamesConsent: Bool
        var status: String
        var beenBefore: Int

        var person: BingoPerson {
            BingoPerson(id: .init(id), firstName: firstName, lastName: lastName, player: BingoPlayer(
                key: id.uuidString.lowercased(), jobTitle: jobTitle, company: company, askMeAbout: askMeAbout,
                firstMeetup: beenBefore == 0, facts: BingoFacts.decode(bingoFacts), sharesFacts: gamesConsent))
        }
    }

    /// Registrations with what bingo knows of them. "First meetup": no earlier confirmed registration
    /// of the same email anywhere in the network (checked-in people stay confirmed).
    static func playerQuery(_ condition: SQLQueryString) -> SQLQueryString {
        """
        SELECT r.id, r.event_id, r.first_name, r.last_name, r.job_title, r.company, r.ask_me_about, r.bingo_facts, r.games_consent, r.status,
            CASE WHEN r.active_email IS NOT NULL AND EXISTS (
                SELECT 1 FROM registrations p JOIN events pe ON pe.id = p.event_id
                WHERE p.active_email = r.active_email AND p.status = 'confirmed' AND pe.starts_at < e.starts_at
            ) THEN 1 ELSE 0 END AS been_before
        FROM registrations r JOIN events e ON e.id = r.event_id
        WHERE \(condition)
        ORDER BY r.created_at, r.id
        """
    }

    /// The confirmed people of an event: bingo's players, in arrival order.
    static func players(of event: UUID, on sql: any SQLDatabase) async throws -> [BingoPerson] {
        try await sql.raw(playerQuery("r.event_id = \(bind: event) AND r.status = 'confirmed'")).rows(PlayerRow.self).map(\.person)
    }

    static func person(_ id: UUID, on sql: any SQLDatabase) async throws -> (person: BingoPerson, event: UUID, confirmed: Bool)? {
        guard let row = try await sql.raw(playerQuery("r.id = \(bind: id)")).row(PlayerRow.self) else { return nil }
        return (row.person, row.eventId, row.status == RegistrationStatus.confirmed.rawValue)
    }

    /// Who may fill a square: confirmed, opted in, alphabetical.
    public func people(of event: Event.ID) async throws -> [BingoPerson] {
        try await Self.players(of: event.uuid, on: sql).filter(\.player.sharesFacts)
            .sorted { ($0.firstName.lowercased(), $0.lastName.lowercased()) < ($1.firstName.lowercased(), $1.lastName.lowercased()) }
    }

    // MARK: Cards

    struct GameRow: Decodable { var eventId: UUID; var size: Int; var seed: Int64; var generatedAt: Date }

    static func game(_ event: UUID, on sql: any SQLDatabase) async throws -> GameRow? {
        try await sql.raw("SELECT event_id, size, seed, generated_at FROM bingo_games WHERE event_id = \(bind: event)").row(GameRow.self)
    }

    public func game(of event: Event.ID) async throws -> BingoGame? {
        try await Self.game(event.uuid, on: sql).map { BingoGame(eventID: .init($0.eventId), size: $0.size, generatedAt: $0.generatedAt) }
    }

    static func encode(_ card: BingoCard) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(card), as: UTF8.self)
    }

    static func decode(_ text: String) throws -> BingoCard {
        try JSONDecoder().decode(BingoCard.self, from: Data(text.utf8))
    }

    /// Where the cards are drawn: the web passes its CPU pool, so a big room never holds a
    /// database thread or the write lock while cards are drawn.
    public typealias Compute = @Sendable (@escaping @Sendable () -> [BingoCard]) async throws -> [BingoCard]

    /// (Re)generates every confirmed person's card: earlier cards, ticks and announcements of the
    /// event go. The cards are drawn before the write (by `compute`); someone confirmed in between
    /// gets a card on demand later, someone gone in between none. Returns the cards with squares.
    @discardableResult
    public func generate(event: Event.ID, size: Int, now: Date, seed: UInt64? = nil, compute: Compute = { $0() }) async throws -> Int {
        let side = Self.sizes.contains(size) ? size : 5
        let seed = seed ?? UInt64.random(in: 0 ... UInt64.max)
        let players = try await Self.players(of: event.uuid, on: sql)
        let drawn = try await compute { BingoGenerator.cards(for: players.map(\.player), size: side, seed: seed) }
        let cardByID = Dictionary(zip(players.map(\.id), drawn), uniquingKeysWith: { a, _ in a })
        return try await write { sql in
            _ = try await Persistence.lockEvent(event.uuid, on: sql)
            try await sql.raw("DELETE FROM bingo_events WHERE event_id = \(bind: event.uuid)").run()
            try await sql.raw("DELETE FROM bingo_ticks WHERE event_id = \(bind: event.uuid)").run()
            try await sql.raw("DELETE FROM bingo_cards WHERE event_id = \(bind: event.uuid)").run()
            try await sql.raw("DELETE FROM bingo_games WHERE event_id = \(bind: event.uuid)").run()
            try await sql.raw("""
                INSERT INTO bingo_games (event_id, size, seed, generated_at) VALUES (\(bind: event.uuid), \(bind: side), \(bind: Int64(bitPattern: seed)), \(bind: now))
                """).run()
            // Only those still confirmed now.
            let present = try await Self.players(of: event.uuid, on: sql).map(\.id)
            let cards = present.compactMap { id in cardByID[id].map { (id, $0) } }
            guard !cards.isEmpty else { return 0 }
            for chunk in stride(from: 0, to: cards.count, by: 200) {
                var insert = sql.insert(into: "bingo_cards").columns("id", "event_id", "registration_id", "card", "created_at")
                for index in chunk ..< min(chunk + 200, cards.count) {
                    insert = insert.values([UUID(), event.uuid, cards[index].0.uuid, try Self.encode(cards[index].1), now] as [any Encodable & Sendable])
                }
                try await insert.run()
            }
            return cards.filter { $0.1.size > 0 }.count
        }
    }

    /// A confirmed person's card with its ticks. A person without a card yet (a late arrival, or
    /// cards never generated) gets one drawn against the room as it is now, at the game's size
    /// (5 when the organiser chose none). Nil when the registration is not confirmed.
    public func card(of holder: Registration.ID, now: Date, compute: Compute = { $0() }) async throws -> BingoCardState? {
        if let state = try await Self.state(of: holder.uuid, on: sql) { return state }
        guard let found = try await Self.person(holder.uuid, on: sql), found.confirmed else { return nil }
        let event = found.event
        // The game (size and seed) first; then the card is drawn outside any transaction, so a
        // big room never holds the write lock; a card drawn twice at once is stored once.
        try await write { sql in
            try await sql.raw("""
                INSERT INTO bingo_games (event_id, size, seed, generated_at)
                VALUES (\(bind: event), 5, \(bind: Int64(bitPattern: UInt64.random(in: 0 ... UInt64.max))), \(bind: now))
                ON CONFLICT DO NOTHING
                """).run()
        }
        guard let game = try await Self.game(event, on: sql) else { return nil }
        // The holder first: their card is drawn against the whole room, the others only count.
        var players = try await Self.players(of: event, on: sql)
        guard let index = players.firstIndex(where: { $0.id == holder }) else { return nil }
        players.insert(players.remove(at: index), at: 0)
        let seed = UInt64(bitPattern: game.seed) ^ Self.mix(holder.uuid)
        let room = players.map(\.player)
        guard let card = try await compute({ BingoGenerator.cards(for: room, size: game.size, seed: seed) }).first else { return nil }
        try await write { sql in
            try await sql.raw("""
                INSERT INTO bingo_cards (id, event_id, registration_id, card, created_at)
                VALUES (\(bind: UUID()), \(bind: event), \(bind: holder.uuid), \(bind: try Self.encode(card)), \(bind: now))
                ON CONFLICT DO NOTHING
                """).run()
        }
        return try await Self.state(of: holder.uuid, on: sql)
    }

    /// A stable 64-bit mix of a UUID (FNV-1a), so each late card has its own draw.
    static func mix(_ id: UUID) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        withUnsafeBytes(of: id.uuid) { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        }
        return hash
    }

    static func state(of holder: UUID, on sql: any SQLDatabase) async throws -> BingoCardState? {
        struct CardRow: Decodable { var eventId: UUID; var card: String }
        guard let row = try await sql.raw("SELECT event_id, card FROM bingo_cards WHERE registration_id = \(bind: holder)").row(CardRow.self) else { return nil }
        struct TickRow: Decodable { var squareIndex: Int; var matchedRegistrationId: UUID; var firstName: String; var lastName: String; var createdAt: Date }
        let ticks = try await sql.raw("""
            SELECT t.square_index, t.matched_registration_id, m.first_name, m.last_name, t.created_at
            FROM bingo_ticks t JOIN registrations m ON m.id = t.matched_registration_id
            WHERE t.registration_id = \(bind: holder)
            """).rows(TickRow.self)
        var byIndex: [Int: BingoTick] = [:]
        for tick in ticks {
            byIndex[tick.squareIndex] = BingoTick(squareIndex: tick.squareIndex, matched: .init(tick.matchedRegistrationId),
                                                 matchedFirstName: tick.firstName, matchedLastName: tick.lastName, at: tick.createdAt)
        }
        return BingoCardState(holder: .init(holder), eventID: .init(row.eventId), card: try decode(row.card), ticks: byIndex)
    }

    /// Every card of an event with its holder's name, holders in alphabetical order (for printing).
    public func cards(of event: Event.ID) async throws -> [(holder: Registration.ID, firstName: String, lastName: String, card: BingoCard)] {
        struct Row: Decodable { var registrationId: UUID; var firstName: String; var lastName: String; var card: String }
        let rows = try await sql.raw("""
            SELECT c.registration_id, r.first_name, r.last_name, c.card FROM bingo_cards c JOIN registrations r ON r.id = c.registration_id
            WHERE c.event_id = \(bind: event.uuid) AND r.status = 'confirmed'
            """).rows(Row.self)
        return try rows.map { (Registration.ID($0.registrationId), $0.firstName, $0.lastName, try Self.decode($0.card)) }
            .sorted { ($0.lastName.lowercased(), $0.firstName.lowercased()) < ($1.lastName.lowercased(), $1.firstName.lowercased()) }
    }

    /// Every tick of an event's cards, by holder then square index (for the organisers' overview).
    public func ticks(of event: Event.ID) async throws -> [Registration.ID: [Int: BingoTick]] {
        struct Row: Decodable {
            var registrationId: UUID; var squareIndex: Int; var matchedRegistrationId: UUID; var firstName: String; var lastName: String; var createdAt: Date
        }
        let rows = try await sql.raw("""
            SELECT t.registration_id, t.square_index, t.matched_registration_id, m.first_name, m.last_name, t.created_at
            FROM bingo_ticks t JOIN registrations m ON m.id = t.matched_registration_id
            WHERE t.event_id = \(bind: event.uuid)
            """).rows(Row.self)
        var result: [Registration.ID: [Int: BingoTick]] = [:]
        for row in rows {
            result[.init(row.registrationId), default: [:]][row.squareIndex] = BingoTick(
                squareIndex: row.squareIndex, matched: .init(row.matchedRegistrationId), matchedFirstName: row.firstName,
                matchedLastName: row.lastName, at: row.createdAt)
        }
        return result
    }

    // MARK: Ticking

    /// The squares of `holder`'s card that `other` may fill now (not yet ticked, matched by their
    /// current facts and consent); empty when they may fill none, or when either has no place here.
    public func squares(of holder: Registration.ID, fillableBy other: Registration.ID, now: Date) async throws -> [Int] {
        guard holder != other, let me = try await Self.person(holder.uuid, on: sql), me.confirmed,
              let state = try await card(of: holder, now: now),
              let found = try await Self.person(other.uuid, on: sql), found.confirmed, found.event == state.eventID.uuid,
              !state.ticks.values.contains(where: { $0.matched == other }) else { return [] }
        return state.card.squares.indices.filter { state.ticks[$0] == nil && BingoGenerator.satisfies(found.person.player, state.card.squares[$0]) }
    }

    /// Ticks square `index` of `holder`'s card with `matched`. Checked against `matched`'s facts as
    /// stored now; the holder never matches themselves; a person fills at most one square of a
    /// card. Ticking the same square with the same person again answers the same, changing nothing.
    /// A first line and a full card are announced once each.
    public func tick(holder: Registration.ID, square index: Int, matched: Registration.ID, now: Date) async throws -> BingoTickOutcome {
        guard try await card(of: holder, now: now) != nil else { throw BingoError.noCard }
        return try await write { sql in
            // Only a confirmed holder plays (a cancelled one keeps their stored card, unplayable).
            guard let me = try await Self.person(holder.uuid, on: sql), me.confirmed else { throw BingoError.noCard }
            guard let state = try await Self.state(of: holder.uuid, on: sql), state.card.squares.indices.contains(index) else { throw BingoError.noCard }
            if let existing = state.ticks[index] {
                if existing.matched == matched { return BingoTickOutcome(state: state, announced: []) }
                throw BingoError.squareTaken
            }
            guard matched != holder else { throw BingoError.holderThemselves }
            guard let found = try await Self.person(matched.uuid, on: sql), found.confirmed, found.event == state.eventID.uuid,
                  found.person.player.sharesFacts else { throw BingoError.notPlaying }
            guard BingoGenerator.satisfies(found.person.player, state.card.squares[index]) else { throw BingoError.doesNotMatch }
            if state.ticks.values.contains(where: { $0.matched == matched }) { throw BingoError.alreadyUsed }
            let inserted = try await sql.raw("""
                INSERT INTO bingo_ticks (id, event_id, registration_id, square_index, matched_registration_id, created_at)
                VALUES (\(bind: UUID()), \(bind: state.eventID.uuid), \(bind: holder.uuid), \(bind: index), \(bind: matched.uuid), \(bind: now))
                ON CONFLICT DO NOTHING RETURNING id
                """).all()
            guard let after = try await Self.state(of: holder.uuid, on: sql) else { throw BingoError.noCard }
            if inserted.isEmpty {
                // Someone else's tick of this card committed first: answer for what it left.
                if after.ticks[index]?.matched == matched { return BingoTickOutcome(state: after, announced: []) }
                throw after.ticks[index] != nil ? BingoError.squareTaken : BingoError.alreadyUsed
            }
            let progress = after.progress
            var announced: [BingoAnnouncementKind] = []
            for (kind, reached) in [(BingoAnnouncementKind.line, progress.lines > 0), (.full, progress.full)] where reached {
                let rows = try await sql.raw("""
                    INSERT INTO bingo_events (id, event_id, registration_id, kind, created_at)
                    VALUES (\(bind: UUID()), \(bind: state.eventID.uuid), \(bind: holder.uuid), \(bind: kind.rawValue), \(bind: now))
                    ON CONFLICT DO NOTHING RETURNING id
                    """).all()
                if !rows.isEmpty { announced.append(kind) }
            }
            return BingoTickOutcome(state: after, announced: announced)
        }
    }

    // MARK: Announcements and overview

    /// Lines and full cards announced since `since`, newest first, for the big screen.
    public func recentAnnouncements(event: Event.ID, since: Date) async throws -> [BingoAnnouncement] {
        struct Row: Decodable { var firstName: String; var kind: String; var createdAt: Date }
        return try await sql.raw("""
            SELECT r.first_name, b.kind, b.created_at FROM bingo_events b JOIN registrations r ON r.id = b.registration_id
            WHERE b.event_id = \(bind: event.uuid) AND b.created_at >= \(bind: since)
            ORDER BY b.created_at DESC LIMIT 50
            """).rows(Row.self).compactMap { row in
                BingoAnnouncementKind(rawValue: row.kind).map { BingoAnnouncement(firstName: row.firstName, kind: $0, at: row.createdAt) }
            }
    }

    public func summary(of event: Event.ID) async throws -> BingoSummary {
        let players = try await Self.players(of: event.uuid, on: sql)
        struct Row: Decodable { var card: String }
        let cards = try await sql.raw("""
            SELECT c.card FROM bingo_cards c JOIN registrations r ON r.id = c.registration_id
            WHERE c.event_id = \(bind: event.uuid) AND r.status = 'confirmed'
            """).rows(Row.self).compactMap { try? Self.decode($0.card) }
        struct KindCount: Decodable { var kind: String; var count: Int }
        let counts = try await sql.raw("SELECT kind, COUNT(*) AS count FROM bingo_events WHERE event_id = \(bind: event.uuid) GROUP BY kind")
            .rows(KindCount.self)
        func count(_ kind: BingoAnnouncementKind) -> Int { counts.first { $0.kind == kind.rawValue }?.count ?? 0 }
        return BingoSummary(
            game: try await game(of: event), players: players.count, optedIn: players.filter(\.player.sharesFacts).count,
            cards: cards.count, playableCards: cards.filter { $0.size > 0 }.count, lines: count(.line), fullCards: count(.full))
    }

    // MARK: The phone's cookie

    /// The token the attendee's phone keeps in its bingo cookie: signed, derived from the manage
    /// salt under its own purpose (it opens nothing else, and a new manage link revokes it).
    public func cookieToken(of holder: Registration.ID) async throws -> String? {
        struct Row: Decodable { var manageToken: String }
        guard let row = try await sql.raw("SELECT manage_token FROM registrations WHERE id = \(bind: holder.uuid)").row(Row.self),
              !row.manageToken.isEmpty else { return nil }
        return tokens.token(.bingo, id: holder.uuid, salt: row.manageToken)
    }

    /// The confirmed registration a bingo cookie names, if the token is valid.
    public func holder(cookieToken: String) async throws -> Registration? {
        guard let registration = try await persistence.registrations.registration(token: cookieToken, .bingo),
              registration.status == .confirmed else { return nil }
        return registration
    }
}
