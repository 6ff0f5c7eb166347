import Foundation
import RendezvousDomain

/// JSON shapes of the public API (v1). Field names are part of the contract in openapi.json.
enum API {
    struct TokenRequest: Decodable { var email: String?; var password: String? }
    struct TokenResponse: Encodable { var token: String; var expiresAt: String }

    struct ChapterJSON: Encodable {
        var id: String
        var slug: String
        var name: String
        var city: String
        var countryCode: String
        var timeZone: String
        var locale: String
        var url: String

        init(_ chapter: Chapter, services: AppServices) {
            id = chapter.id.description
            slug = chapter.slug
            name = chapter.name
            city = chapter.city
            countryCode = chapter.countryCode
            timeZone = chapter.timeZone
            locale = chapter.locale.rawValue
            url = services.absoluteURL(PublicRoute.chapter(slug: chapter.slug))
        }
    }

    struct VenueJSON: Encodable {
        var name: String
        var address: String
        var mapUrl: String
    }

    struct SpeakerJSON: Encodable {
        var name: String
        var jobTitle: String
        var company: String?
    }

    struct AgendaJSON: Encodable {
        var startsAt: String
        var title: String
    }

    struct EventJSON: Encodable {
        var id: String
        var chapter: String
        var title: String
        var description: String
        var startsAt: String
        var endsAt: String
        var timeZone: String
        var status: String
        var capacity: Int
        var confirmedCount: Int
        var waitlistCount: Int
        var seatsLeft: Int
        var venue: VenueJSON?
        var speakers: [SpeakerJSON]?
        var agenda: [AgendaJSON]?
        /// What the event page says of overbooking (issue 15).
        var overbooking: PublicOverbooking
        var url: String

        init(event: Event, chapter: Chapter, venue: Venue?, occupancy: Occupancy, speakers: [Speaker]?, agenda: [AgendaItem]?,
             overbooking: PublicOverbooking, services: AppServices) {
            id = event.id.description
            self.chapter = chapter.slug
            title = event.title
            description = event.description
            startsAt = ISO8601.format(event.startsAt, in: chapter.zone)
            endsAt = ISO8601.format(event.endsAt, in: chapter.zone)
            timeZone = chapter.timeZone
            status = event.status.rawValue
            capacity = occupancy.capacity
            confirmedCount = occupancy.confirmed
            waitlistCount = occupancy.waitlisted
            seatsLeft = occupancy.seatsLeft
            self.venue = venue.map { VenueJSON(name: $0.name, address: $0.address, mapUrl: $0.mapURL) }
            self.speakers = speakers?.map { SpeakerJSON(name: $0.name, jobTitle: $0.jobTitle, company: $0.company.isEmpty ? nil : $0.company) }
            self.agenda = agenda?.map { AgendaJSON(startsAt: ISO8601.format($0.startsAt, in: chapter.zone), title: $0.title) }
            self.overbooking = overbooking
            url = services.absoluteURL(PublicRoute.event(event.id))
        }
    }

    struct EventPatch: Decodable {
        var title: String?
        var description: String?
        var capacity: Int?
        var status: EventStatus?
    }

    struct RegistrationCreated: Encodable {
        var id: String
        /// The event asked for, or its second evening for someone moved there at once ("any date").
        var eventId: String
        var status: String
        var waitlistPosition: Int?
        var manageToken: String
        var manageUrl: String
    }

    struct RegistrationState: Encodable {
        var id: String
        var eventId: String
        var status: String
        var waitlistPosition: Int?
        var offerExpiresAt: String?
    }

    struct ManageTokenBody: Decodable { var manageToken: String? }

    /// The answers to an event's registration questions, by question id.
    struct AnswersBody: Decodable { var answers: [String: String]? }

    struct QuestionJSON: Encodable {
        var id: String
        var label: String
        /// "text", "choice" or "yes-no" (answered "yes" or "no").
        var kind: String
        var choices: [String]
        var required: Bool
        /// False: asked at every meetup of the chapter.
        var thisEventOnly: Bool

        init(_ question: RegistrationQuestion) {
            id = question.id.description.lowercased()
            label = question.label
            kind = question.kind.rawValue
            choices = question.choices
            required = question.required
            thisEventOnly = question.eventID != nil
        }
    }

    struct RegistrationJSON: Encodable {
        var id: String
        var eventId: String
        var firstName: String
        var lastName: String
        var email: String
        var jobTitle: String
        var company: String
        var linkedinUrl: String
        var askMeAbout: String
        var consents: Consents
        var status: String
        var waitlistPosition: Int?
        var offerExpiresAt: String?
        var createdAt: String
        /// Answers to the registration questions, by question id (organisers only).
        var answers: [String: String] = [:]

        init(_ registration: Registration, position: Int?, answers: [String: String] = [:]) {
            self.answers = answers
            let profile = registration.profile
            id = registration.id.description
            eventId = registration.eventID.description
            firstName = profile.firstName
            lastName = profile.lastName
            email = profile.email
            jobTitle = profile.jobTitle
            company = profile.company
            linkedinUrl = profile.linkedinURL
            askMeAbout = profile.askMeAbout
            consents = profile.consents
            status = registration.status.rawValue
            waitlistPosition = position
            offerExpiresAt = registration.offerExpiresAt.map { ISO8601.format($0) }
            createdAt = ISO8601.format(registration.createdAt)
        }
    }

    struct ListResponse<Item: Encodable>: Encodable {
        var items: [Item]
    }
}
