import Foundation
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb

/// "My data" as an attendee signed in to My Rendezvous sees it, in French, and the admins' form
/// for a request by mail.
extension MyDataPage {
    static let mock: MyDataPage = {
        var data = PersonalData(exportedAt: Date(timeIntervalSince1970: 1_800_000_000), email: "karim@example.org")
        data.registrations = [.init(
            id: UUID(uuidString: "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D")!,
            event: .init(id: UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!, title: "Rencontre de janvier", chapter: "#LinkedInLocal Toulouse",
                         startsAt: Date(timeIntervalSince1970: 1_800_600_000), timeZone: "Europe/Paris"),
            status: "confirmed", firstName: "Karim", lastName: "Benali", email: "karim@example.org", jobTitle: "Fondateur", company: "Atelier",
            linkedinUrl: "https://www.linkedin.com/in/karim", askMeAbout: "Le vélo", bingoFacts: ["hasPet"],
            consents: [.init(consent: .list, given: true), .init(consent: .profile, given: false), .init(consent: .games, given: true),
                       .init(consent: .news, given: false), .init(consent: .mail, given: true)],
            registeredAt: Date(timeIntervalSince1970: 1_800_000_000), updatedAt: Date(timeIntervalSince1970: 1_800_000_000),
            conductAcceptedAt: Date(timeIntervalSince1970: 1_800_000_000), checkedInAt: nil, walkIn: false, language: "fr", organizerNote: "",
            answers: [.init(question: "Régime alimentaire ?", answer: "Végétarien")])]
        data.consentChanges = [.init(registration: data.registrations[0].id, consent: .profile, given: false, source: "me",
                                     at: Date(timeIntervalSince1970: 1_800_100_000))]
        data.photo = .init(url: "/me/photos/6f1c2a7e-3b7d-4c1a-9e55-0a1b2c3d4e5f-1.jpg", contentType: "image/jpeg")
        let session = AttendeeSession(email: "karim@example.org", csrfToken: "csrf-token", expiresAt: Date(timeIntervalSince1970: 1_802_000_000))
        return MyDataController.page(data, door: .me(session), language: .fr, notice: nil)
    }()
}

extension PersonDataPage {
    static let mock = PersonDataPage(
        chrome: Chrome(title: "A person’s data", language: .en, path: AdminRoute.person.path), csrf: "csrf-token", notice: nil, hasErrors: true,
        field: FormField(name: "email", label: "Email", value: "nadia@", type: "email", required: true, hint: "The address the request came from.",
                         error: "This email address is not valid.", maxLength: 254, autocomplete: "off"))
}
