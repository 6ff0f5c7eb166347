import Foundation

/// An event's bingo as the organiser set it: the card size and when the cards were (re)generated.
public struct BingoGame: Sendable, Equatable {
    public var eventID: Event.ID
    public var size: Int
    public var generatedAt: Date

    public init(eventID: Event.ID, size: Int, generatedAt: Date) {
        self.eventID = eventID
        self.size = size
        self.generatedAt = generatedAt
    }
}

/// One ticked square: who filled it, and when.
public struct BingoTick: Sendable, Equatable {
    public var squareIndex: Int
    public var matched: Registration.ID
    public var matchedFirstName: String
    public var matchedLastName: String
    public var at: Date

    public init(squareIndex: Int, matched: Registration.ID, matchedFirstName: String, matchedLastName: String, at: Date) {
        self.squareIndex = squareIndex
        self.matched = matched
        self.matchedFirstName = matchedFirstName
        self.matchedLastName = matchedLastName
        self.at = at
    }
}

/// A holder's card with its ticks and progress.
public struct BingoCardState: Sendable, Equatable {
    public var holder: Registration.ID
    public var eventID: Event.ID
    public var card: BingoCard
    /// By square index.
    public var ticks: [Int: BingoTick]

    public init(holder: Registration.ID, eventID: Event.ID, card: BingoCard, ticks: [Int: BingoTick]) {
        self.holder = holder
        self.eventID = eventID
        self.card = card
        self.ticks = ticks
    }

    public var progress: (lines: Int, full: Bool) { BingoGenerator.progress(size: card.size, ticked: Set(ticks.keys)) }
}

/// Someone in the room who may fill a square: confirmed and opted in to the games.
public struct BingoPerson: Sendable, Equatable {
    public var id: Registration.ID
    public var firstName: String
    public var lastName: String
    public var player: BingoPlayer

    public init(id: Registration.ID, firstName: String, lastName: String, player: BingoPlayer) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.player = player
    }
}

public enum BingoAnnouncementKind: String, Sendable, Codable, CaseIterable {
    case line, full
}

/// "Marie has a line!", for the big screen.
public struct BingoAnnouncement: Sendable, Equatable {
    public var firstName: String
    public var kind: BingoAnnouncementKind
    public var at: Date

    public init(firstName: String, kind: BingoAnnouncementKind, at: Date) {
        self.firstName = firstName
        self.kind = kind
        self.at = at
    }
}

/// What a tick answered: the card as it is now, and what this tick announced (empty when nothing
/// new, as for a repeated tick).
public struct BingoTickOutcome: Sendable, Equatable {
    public var state: BingoCardState
    public var announced: [BingoAnnouncementKind]

    public init(state: BingoCardState, announced: [BingoAnnouncementKind]) {
        self.state = state
        self.announced = announced
    }
}

public enum BingoError: Error, Sendable, Equatable {
    /// No card (not confirmed, or no such registration or square).
    case noCard
    /// The holder picked themselves.
    case holderThemselves
    /// The person is not in the room, or did not opt in.
    case notPlaying
    /// The person does not match the square.
    case doesNotMatch
    /// That person already filled another square of this card.
    case alreadyUsed
    /// Someone else already filled this square.
    case squareTaken
}

/// An organiser's overview of the event's bingo.
public struct BingoSummary: Sendable, Equatable {
    public var game: BingoGame?
    /// Confirmed registrations.
    public var players: Int
    /// Of those, opted in to the games.
    public var optedIn: Int
    /// Cards stored, and those with at least one square.
    public var cards: Int
    public var playableCards: Int
    public var lines: Int
    public var fullCards: Int

    public init(game: BingoGame?, players: Int, optedIn: Int, cards: Int, playableCards: Int, lines: Int, fullCards: Int) {
        self.game = game
        self.players = players
        self.optedIn = optedIn
        self.cards = cards
        self.playableCards = playableCards
        self.lines = lines
        self.fullCards = fullCards
    }
}
