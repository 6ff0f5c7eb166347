import Foundation
import RendezvousDomain
@testable import RendezvousWeb

/// Fixed values the page mocks share, so every snapshot is the same on every run.
enum Mock {
    static let event = Event.ID(UUID(uuidString: "6F1C2A7E-3B7D-4C1A-9E55-0A1B2C3D4E5F")!)
    static let registration = Registration.ID(UUID(uuidString: "9A8B7C6D-5E4F-4A3B-8C2D-1E0F9A8B7C6D")!)
    static let application = UUID(uuidString: "0B4F6C3A-8E2D-4F7B-A1C9-5D6E7F809A1B")!
    static let token = "bW9jay1tYW5hZ2UtdG9rZW4"
    static let csrf = "bW9jay1jc3JmLXRva2Vu"
    static let chapter = Chapter(
        id: Chapter.ID(UUID(uuidString: "3C2B1A09-8F7E-4D6C-9B5A-403F2E1D0C9B")!), slug: "toulouse", name: "#LinkedInLocal Toulouse",
        city: "Toulouse", countryCode: "FR", timeZone: "Europe/Paris", locale: .fr, createdAt: Date(timeIntervalSince1970: 1_800_000_000))
    static let organizer = User(id: User.ID(UUID(uuidString: "1D2C3B4A-5F6E-4A8B-9C0D-E1F2A3B4C5D6")!), email: "ana@example.org", name: "Ana Organiser",
                                role: .organizer, memberships: [chapter.id: .organizer])
    static let admin = User(id: User.ID(UUID(uuidString: "2E3D4C5B-6A7F-4B9C-8D1E-F2A3B4C5D6E7")!), email: "admin@example.org", name: "Nadia Admin",
                            role: .networkAdmin)
    static func session(_ user: User) -> WebSession {
        WebSession(user: user, csrfToken: csrf, expiresAt: Date(timeIntervalSince1970: 1_900_000_000))
    }
}
