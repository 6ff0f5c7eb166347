import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RendezvousDomain
@testable import RendezvousPersistence
@testable import RendezvousWeb
import Testing

/// Who may open what: every route the router serves (built from the route tables: `PublicRoute`,
/// `AccountRoute`, `MeRoute`, `DoorRoute`, `AdminRoute`, `APIRoute`, `OrganizeRoutes.all`) is
/// requested as six people, and the class of the answer is checked against one table below.
/// A route the table does not know fails the test, and so does an entry for a route that is gone:
/// a new address cannot ship without someone deciding who may open it. No answer is ever a 5xx.
///
/// With `ACCESS_MATRIX_DOC=1` the test also rewrites the matrix section of docs/security.md.
@Suite("Access matrix")
struct AccessMatrixTests {
    enum Who: Int, CaseIterable, Sendable {
        case anonymous, attendee, door, otherOrganizer, organizer, admin

        var title: String {
            switch self {
            case .anonymous: "anonymous"
            case .attendee: "attendee (manage link, My Rendezvous)"
            case .door: "door staff"
            case .otherOrganizer: "organiser of another chapter"
            case .organizer: "organiser"
            case .admin: "network admin"
            }
        }
    }

    /// One letter per person, in `Who` order: `A` let in (2xx, 3xx, or a 4xx about the request
    /// itself: 400, 409, 410, 422…), `R` refused (401, 403, 404, 405, or sent to sign in).
    /// Ids the fixture does not hold (a quiz, a message, an application…) are made up, so those
    /// routes read `RRRRRR`: nobody reaches a record that is not there, and nothing answers 5xx.
    /// Routes whose values are secrets in the link (`:token`) are filled with the attendee's own
    /// manage link for the attendee and with a made-up one for everyone else.
    static let expected: [String: String] = [
        "DELETE /api/v1/chapters/:slug/audience/messages/:message": "RRRRRR",
        "DELETE /api/v1/chapters/:slug/webhooks/:webhook": "RRRRRR",
        "DELETE /api/v1/me/data": "RARRRR",
        "DELETE /api/v1/quizzes/:id": "RRRRRR",
        "GET /": "AAAAAA",
        "GET /account/password": "RRAAAA",
        "GET /admin": "RRRRRA",
        "GET /admin/applications": "RRRRRA",
        "GET /admin/blocks": "RRRRRA",
        "GET /admin/chapters/:slug/handover": "RRRRRA",
        "GET /admin/directory": "RRRRRA",
        "GET /admin/directory/venues/:id": "RRRRRR",
        "GET /admin/incidents": "RRRRRA",
        "GET /admin/insights": "RRRRRA",
        "GET /admin/insights/csv/:chart": "RRRRRR",
        "GET /admin/privacy": "RRRRRA",
        "GET /admin/privacy/person": "RRRRRA",
        "GET /api/openapi.json": "AAAAAA",
        "GET /api/v1/chapters": "AAAAAA",
        "GET /api/v1/chapters/:slug/audience": "RRRRAA",
        "GET /api/v1/chapters/:slug/events": "AAAAAA",
        "GET /api/v1/chapters/:slug/insights": "RRRRAA",
        "GET /api/v1/chapters/:slug/quizzes": "RRRRAA",
        "GET /api/v1/chapters/:slug/webhooks": "RRRRAA",
        "GET /api/v1/chapters/:slug/webhooks/:webhook/deliveries": "RRRRRR",
        "GET /api/v1/events/:id": "AAAAAA",
        "GET /api/v1/events/:id/attendance": "RRRRAA",
        "GET /api/v1/events/:id/badges": "RRRRAA",
        "GET /api/v1/events/:id/badges/:registration": "RRARAA",
        "GET /api/v1/events/:id/bingo": "RRRRAA",
        "GET /api/v1/events/:id/demand": "RRRRAA",
        "GET /api/v1/events/:id/door": "RRARAA",
        "GET /api/v1/events/:id/door/people": "RRARAA",
        "GET /api/v1/events/:id/questions": "AAAAAA",
        "GET /api/v1/events/:id/quiz-games": "RRRRAA",
        "GET /api/v1/events/:id/quiz-games/:game": "RRRRRR",
        "GET /api/v1/events/:id/registrations": "RRRRAA",
        "GET /api/v1/events/:id/result": "RRRRAA",
        "GET /api/v1/events/:id/room": "RRRRRR",
        "GET /api/v1/me/data": "RARRRR",
        "GET /api/v1/network/insights": "RRRRRA",
        "GET /api/v1/quizzes/:id": "RRRRRR",
        "GET /api/v1/registrations/:id": "RARRRR",
        "GET /api/v1/registrations/:id/bingo": "RARRRR",
        "GET /apply": "AAAAAA",
        "GET /audience/unsubscribe/:token": "RRRRRR",
        "GET /brand/:file": "RRRRRR",
        "GET /c/:token": "RRRRRR",
        "GET /c/:token/vcard": "RRRRRR",
        "GET /chapters/:slug": "AAAAAA",
        "GET /chapters/:slug/calendar.ics": "AAAAAA",
        "GET /chapters/:slug/follow": "AAAAAA",
        "GET /code-of-conduct": "AAAAAA",
        "GET /door/:id": "RRARAA",
        "GET /door/:id/badge/:registration": "RRARAA",
        "GET /door/:id/list.json": "RRARAA",
        "GET /door/:id/state.json": "RRARAA",
        "GET /door/sw.js": "AAAAAA",
        "GET /events/:id": "AAAAAA",
        "GET /events/:id/calendar.ics": "AAAAAA",
        "GET /events/:id/share.png": "AAAAAA",
        "GET /favicon.ico": "AAAAAA",
        "GET /feedback/:token": "RRRRRR",
        "GET /follow/:token": "RRRRRR",
        "GET /healthz": "AAAAAA",
        "GET /images/:name": "RRRRRR",
        "GET /invitations/:token": "RRRRRR",
        "GET /live/:id": "AAAAAA",
        "GET /live/:id/events": "AAAAAA",
        "GET /manage/:token": "RARRRR",
        "GET /manage/:token/badge.png": "RARRRR",
        "GET /manage/:token/bingo": "RARRRR",
        "GET /manage/:token/data": "RARRRR",
        "GET /manage/:token/data.json": "RARRRR",
        "GET /manage/:token/people.vcf": "RARRRR",
        "GET /manage/:token/room.json": "RARRRR",
        "GET /manage/:token/ticket.png": "RARRRR",
        "GET /me": "AAAAAA",
        "GET /me/data": "RARRRR",
        "GET /me/data.json": "RARRRR",
        "GET /me/events/:id": "RARRRR",
        "GET /me/people.csv": "RARRRR",
        "GET /me/people.json": "RARRRR",
        "GET /me/people.vcf": "RARRRR",
        "GET /me/photos/:name": "RRRRRR",
        "GET /me/profile": "RARRRR",
        "GET /me/profile.json": "AAAAAA",
        "GET /me/signin/:token": "AAAAAA",
        "GET /metrics": "RRRRRR",
        "GET /network": "AAAAAA",
        "GET /organize": "RRAAAA",
        "GET /organize/:slug": "RRRRAA",
        "GET /organize/:slug/audience": "RRRRAA",
        "GET /organize/:slug/audience/:message": "RRRRRR",
        "GET /organize/:slug/audit": "RRRRAA",
        "GET /organize/:slug/branding": "RRRRAA",
        "GET /organize/:slug/events/new": "RRRRAA",
        "GET /organize/:slug/incidents": "RRRRAA",
        "GET /organize/:slug/insights": "RRRRAA",
        "GET /organize/:slug/insights/csv/:chart": "RRRRRR",
        "GET /organize/:slug/outbox": "RRRRAA",
        "GET /organize/:slug/quizzes": "RRRRAA",
        "GET /organize/:slug/quizzes/:quiz": "RRRRRR",
        "GET /organize/:slug/quizzes/:quiz/delete": "RRRRRR",
        "GET /organize/:slug/quizzes/:quiz/questions/:index": "RRRRRR",
        "GET /organize/:slug/series/new": "RRRRAA",
        "GET /organize/:slug/settings": "RRRRAA",
        "GET /organize/:slug/team": "RRRRAA",
        "GET /organize/:slug/webhooks": "RRRRAA",
        "GET /organize/:slug/webhooks/:webhook": "RRRRRR",
        "GET /organize/events/:id": "RRRRAA",
        "GET /organize/events/:id/attendees.csv": "RRRRAA",
        "GET /organize/events/:id/badges": "RRRRAA",
        "GET /organize/events/:id/badges.pdf": "RRRRAA",
        "GET /organize/events/:id/bingo": "RRRRAA",
        "GET /organize/events/:id/bingo.pdf": "RRRRAA",
        "GET /organize/events/:id/edit": "RRRRAA",
        "GET /organize/events/:id/follow-up": "RRRRAA",
        "GET /organize/events/:id/images": "RRRRAA",
        "GET /organize/events/:id/import": "RRRRAA",
        "GET /organize/events/:id/message": "RRRRAA",
        "GET /organize/events/:id/overflow": "RRRRAA",
        "GET /organize/events/:id/questions": "RRRRAA",
        "GET /organize/events/:id/quiz": "RRRRAA",
        "GET /organize/events/:id/quiz-results/:game": "RRRRRR",
        "GET /organize/events/:id/room": "RRRRAA",
        "GET /organize/events/:id/room/plan.pdf": "RRRRRR",
        "GET /password/forgot": "AAAAAA",
        "GET /password/reset/:token": "AAAAAA",
        "GET /q": "AAAAAA",
        "GET /q/:code": "RRRRRR",
        "GET /q/:code/play": "RRRRRR",
        "GET /q/:code/qr.png": "RRRRRR",
        "GET /quiz-images/:id": "RRRRRR",
        "GET /readyz": "AAAAAA",
        "GET /report/:id": "AAAAAA",
        "GET /screen/:id": "RRARAA",
        "GET /screen/:id/state.json": "RRARAA",
        "GET /signin": "AAAAAA",
        "GET /static/:file": "RRRRRR",
        "GET /t/:token": "RRRRRR",
        "GET /unsubscribe/:token": "RRRRRR",
        "PATCH /api/v1/events/:id": "RRRRAA",
        "POST /account/password": "RRAAAA",
        "POST /admin/applications/:id/approve": "RRRRRR",
        "POST /admin/applications/:id/decline": "RRRRRR",
        "POST /admin/blocks": "RRRRRA",
        "POST /admin/blocks/:id/remove": "RRRRRR",
        "POST /admin/chapters/:slug/handover": "RRRRRA",
        "POST /admin/directory/speakers": "RRRRRA",
        "POST /admin/directory/venues": "RRRRRA",
        "POST /admin/directory/venues/:id": "RRRRRR",
        "POST /admin/directory/venues/:id/remove": "RRRRRR",
        "POST /admin/incidents/:id": "RRRRRR",
        "POST /admin/privacy/conduct": "RRRRRA",
        "POST /admin/privacy/person": "RRRRRA",
        "POST /admin/privacy/retention": "RRRRRA",
        "POST /api/v1/audience/unsubscribe": "AAAAAA",
        "POST /api/v1/chapters": "RRRRRA",
        "POST /api/v1/chapters/:slug/audience/messages": "RRRRAA",
        "POST /api/v1/chapters/:slug/events": "RRRRAA",
        "POST /api/v1/chapters/:slug/followers": "AAAAAA",
        "POST /api/v1/chapters/:slug/quizzes": "RRRRAA",
        "POST /api/v1/chapters/:slug/webhooks": "RRRRAA",
        "POST /api/v1/chapters/:slug/webhooks/:webhook/test": "RRRRRR",
        "POST /api/v1/events/:id/attendance-checks": "RRRRAA",
        "POST /api/v1/events/:id/bingo": "RRRRAA",
        "POST /api/v1/events/:id/door/check-ins": "RRARAA",
        "POST /api/v1/events/:id/door/undo": "RRARAA",
        "POST /api/v1/events/:id/door/walk-ins": "RRARAA",
        "POST /api/v1/events/:id/follow-up/send": "RRRRAA",
        "POST /api/v1/events/:id/incidents": "AAAAAA",
        "POST /api/v1/events/:id/overflow": "RRRRAA",
        "POST /api/v1/events/:id/registrations": "AAAAAA",
        "POST /api/v1/events/:id/room/moves": "RRRRAA",
        "POST /api/v1/events/:id/room/plan": "RRRRAA",
        "POST /api/v1/events/:id/room/rounds": "RRRRAA",
        "POST /api/v1/registrations/:id/accept": "RARRRR",
        "POST /api/v1/registrations/:id/bingo/ticks": "RARRRR",
        "POST /api/v1/registrations/:id/cancel": "RARRRR",
        "POST /api/v1/registrations/:id/decline": "RARRRR",
        "POST /api/v1/tokens": "AAAAAA",
        "POST /apply": "AAAAAA",
        "POST /audience/unsubscribe/:token": "RRRRRR",
        "POST /c/:token/bingo": "RRRRRR",
        "POST /c/:token/met": "RRRRRR",
        "POST /chapters/:slug/follow": "AAAAAA",
        "POST /door/:id/checkins": "RRARAA",
        "POST /door/:id/undo": "RRARAA",
        "POST /door/:id/walkins": "RRARAA",
        "POST /door/:id/window": "RRRRAA",
        "POST /events/:id/link": "AAAAAA",
        "POST /events/:id/register": "AAAAAA",
        "POST /feedback/:token": "RRRRRR",
        "POST /follow/:token": "RRRRRR",
        "POST /invitations/:token": "RRRRRR",
        "POST /live/:id/answer": "RRRRRR",
        "POST /live/:id/command": "RRRRAA",
        "POST /manage/:token/:action": "RARRRR",
        "POST /manage/:token/bingo/tick": "RARRRR",
        "POST /manage/:token/data/consents": "RARRRR",
        "POST /manage/:token/data/erase": "RARRRR",
        "POST /manage/:token/quiz": "RARRRR",
        "POST /me": "AAAAAA",
        "POST /me/data/consents": "RARRRR",
        "POST /me/data/erase": "RARRRR",
        "POST /me/events/:id/met": "RRRRRR",
        "POST /me/people/:id/:action": "RRRRRR",
        "POST /me/photo": "RARRRR",
        "POST /me/profile": "RARRRR",
        "POST /me/signin/:token": "AAAAAA",
        "POST /me/signout": "AAAAAA",
        "POST /organize/:slug/audience": "RRRRAA",
        "POST /organize/:slug/audience/:message": "RRRRRR",
        "POST /organize/:slug/audience/:message/cancel": "RRRRRR",
        "POST /organize/:slug/branding": "RRRRAA",
        "POST /organize/:slug/events": "RRRRAA",
        "POST /organize/:slug/incidents/:report": "RRRRRR",
        "POST /organize/:slug/outbox/:message/retry": "RRRRRR",
        "POST /organize/:slug/outbox/retry": "RRRRAA",
        "POST /organize/:slug/quizzes": "RRRRAA",
        "POST /organize/:slug/quizzes/:quiz": "RRRRRR",
        "POST /organize/:slug/quizzes/:quiz/copy": "RRRRRR",
        "POST /organize/:slug/quizzes/:quiz/delete": "RRRRRR",
        "POST /organize/:slug/quizzes/:quiz/questions": "RRRRRR",
        "POST /organize/:slug/quizzes/:quiz/questions/:index": "RRRRRR",
        "POST /organize/:slug/quizzes/:quiz/questions/:index/delete": "RRRRRR",
        "POST /organize/:slug/quizzes/:quiz/questions/:index/move": "RRRRRR",
        "POST /organize/:slug/series": "RRRRAA",
        "POST /organize/:slug/settings": "RRRRAA",
        "POST /organize/:slug/team/:user/remove": "RRRRRR",
        "POST /organize/:slug/team/invitations/:invitation/resend": "RRRRRR",
        "POST /organize/:slug/team/invitations/:invitation/revoke": "RRRRRR",
        "POST /organize/:slug/team/invite": "RRRRAA",
        "POST /organize/:slug/webhooks": "RRRRAA",
        "POST /organize/:slug/webhooks/:webhook/delete": "RRRRRR",
        "POST /organize/:slug/webhooks/:webhook/deliveries/:delivery/redeliver": "RRRRRR",
        "POST /organize/:slug/webhooks/:webhook/enabled": "RRRRRR",
        "POST /organize/:slug/webhooks/:webhook/ping": "RRRRRR",
        "POST /organize/:slug/webhooks/:webhook/rotate": "RRRRRR",
        "POST /organize/events/:id/attendance-check": "RRRRAA",
        "POST /organize/events/:id/attendees": "RRRRAA",
        "POST /organize/events/:id/attendees/:registration/cancel": "RRRRAA",
        "POST /organize/events/:id/attendees/:registration/note": "RRRRAA",
        "POST /organize/events/:id/attendees/:registration/promote": "RRRRAA",
        "POST /organize/events/:id/bingo/generate": "RRRRAA",
        "POST /organize/events/:id/cancel": "RRRRAA",
        "POST /organize/events/:id/capacity": "RRRRAA",
        "POST /organize/events/:id/duplicate": "RRRRAA",
        "POST /organize/events/:id/edit": "RRRRAA",
        "POST /organize/events/:id/follow-up": "RRRRAA",
        "POST /organize/events/:id/follow-up/send": "RRRRAA",
        "POST /organize/events/:id/images": "RRRRAA",
        "POST /organize/events/:id/import": "RRRRAA",
        "POST /organize/events/:id/message": "RRRRAA",
        "POST /organize/events/:id/overbooking": "RRRRAA",
        "POST /organize/events/:id/overflow": "RRRRAA",
        "POST /organize/events/:id/publish": "RRRRAA",
        "POST /organize/events/:id/questions": "RRRRAA",
        "POST /organize/events/:id/questions/:question/move": "RRRRRR",
        "POST /organize/events/:id/questions/:question/remove": "RRRRRR",
        "POST /organize/events/:id/quiz/command": "RRRRAA",
        "POST /organize/events/:id/quiz/start": "RRRRRR",
        "POST /organize/events/:id/room/apart": "RRRRAA",
        "POST /organize/events/:id/room/finish": "RRRRAA",
        "POST /organize/events/:id/room/left": "RRRRAA",
        "POST /organize/events/:id/room/move": "RRRRAA",
        "POST /organize/events/:id/room/next": "RRRRAA",
        "POST /organize/events/:id/room/pause": "RRRRAA",
        "POST /organize/events/:id/room/pin": "RRRRAA",
        "POST /organize/events/:id/room/plan": "RRRRAA",
        "POST /organize/events/:id/room/resume": "RRRRAA",
        "POST /organize/events/:id/room/setup": "RRRRAA",
        "POST /organize/events/:id/speakers/:speaker/photo": "RRRRRR",
        "POST /organize/events/:id/unpublish": "RRRRAA",
        "POST /password/forgot": "AAAAAA",
        "POST /password/reset/:token": "AAAAAA",
        "POST /q/:code": "RRRRRR",
        "POST /report/:id": "RRRRRR",
        "POST /signin": "RRRRRR",
        "POST /signout": "RRAAAA",
        "POST /t/:token": "RRRRRR",
        "POST /unsubscribe/:token": "RRRRRR",
        "PUT /api/v1/chapters/:slug/audience/messages/:message": "RRRRRR",
        "PUT /api/v1/events/:id/attendance/:registration": "RRRRAA",
        "PUT /api/v1/events/:id/door/window": "RRRRAA",
        "PUT /api/v1/events/:id/follow-up": "RRRRAA",
        "PUT /api/v1/events/:id/overbooking": "RRRRAA",
        "PUT /api/v1/events/:id/room": "RRRRAA",
        "PUT /api/v1/feedback": "AAAAAA",
        "PUT /api/v1/me/consents": "RARRRR",
        "PUT /api/v1/quizzes/:id": "RRRRRR",
    ]

    static let header = "<!-- access-matrix:start (generated by AccessMatrixTests with ACCESS_MATRIX_DOC=1) -->"
    static let footer = "<!-- access-matrix:end -->"

    struct World: Sendable {
        var event: Event.ID
        var registration: Registration.ID
        var manageToken: String
        var attendeeCookie: String
        var attendeeCSRF: String
        var staff: [Who: (session: String, csrf: String, bearer: String)]
    }

    @Test(arguments: DatabaseKind.available)
    func everyRouteAnswersEveryoneAsTheTableSays(_ kind: DatabaseKind) async throws {
        try await withApp(kind) { app in
            let toulouse = try await Fixture.chapter(app.persistence)
            _ = try await Fixture.chapter(app.persistence, slug: "paris")
            let event = try await Fixture.event(app.persistence, chapter: toulouse, capacity: 10)
            let admin = try await Accounts.signIn(app, email: "admin@example.org", role: .networkAdmin)
            let organizer = try await Accounts.signIn(app, email: "orga@example.org", chapters: ["toulouse"])
            let other = try await Accounts.signIn(app, email: "paris@example.org", chapters: ["paris"])
            let door = try await Accounts.signIn(app, email: "door@example.org")
            try await app.persistence.team.setMembership(user: door.user.id, chapter: toulouse.id, role: .door, now: Fixture.start)
            let people: [Who: SignedIn] = [.admin: admin, .organizer: organizer, .otherOrganizer: other, .door: door]
            let router = try buildRouter(services: app.services)
            // Hummingbird writes a parameter `{id}`; the route tables write it `:id`.
            let routes = router.routes.filter { $0.method != .head }.map { route in
                (method: route.method, pattern: route.path.description.replacing(/\{([a-z]+)\}/) { ":" + $0.output.1 })
            }
            // The router is the route tables: every pattern it serves is one of theirs (plus the system's).
            let tables = Set(SiteRoute.examples.map(\.pattern) + OrganizeRoute.examples.map(\.pattern)
                             + APIController(services: app.services).routes.map(\.route.pattern))
            for route in routes where !route.pattern.hasPrefix("/static") && !["/healthz", "/readyz", "/metrics", "/favicon.ico", "/robots.txt", "/api/openapi.json", "/sw.js", "/manifest.webmanifest"].contains(route.pattern) {
                let known = tables.contains(route.pattern)
                #expect(known, "\(route.method) \(route.pattern) is in no route table")
            }

            let observed: [String: String] = try await app.application.test(.router) { client in
                var observed: [String: String] = [:]
                // The attendee: registered to the evening, signed in to My Rendezvous with the same address.
                let outcome = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
                let meCookie = try await MeTests.signIn(client, app, email: "person1@example.org")
                let mePage = try await client.execute(uri: "/me", method: .get, headers: MeTests.headers(meCookie))
                let meCSRF = (try? MeTests.csrf(mePage.text)) ?? ""
                var staff: [Who: (session: String, csrf: String, bearer: String)] = [:]
                for (who, person) in people {
                    let token = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: jsonHeaders(),
                                                         body: ByteBuffer(string: #"{"email":"\#(person.user.email)","password":"\#(Accounts.password)"}"#))
                    staff[who] = (person.cookie, person.csrf, try #require(try token.json()["token"] as? String))
                }
                let world = World(event: event.id, registration: outcome.registration.id, manageToken: outcome.registration.manageToken,
                                  attendeeCookie: meCookie, attendeeCSRF: meCSRF, staff: staff)

                // Reading first, then writing; erasing last, so one route's effect does not decide another's answer.
                let ordered = routes.sorted { Self.rank($0.method, $0.pattern) < Self.rank($1.method, $1.pattern) }
                for route in ordered {
                    let key = "\(route.method) \(route.pattern)"
                    var letters = ""
                    for who in Who.allCases {
                        // Fresh sessions each time: signing out on one route must not refuse the next.
                        var world = world
                        if let person = people[who], var credentials = world.staff[who] {
                            let cookie = try await app.persistence.sessions.createSession(for: person.user.id, now: app.clock.now())
                            let session = try #require(try await app.persistence.sessions.session(token: cookie, now: app.clock.now()))
                            credentials.session = cookie
                            credentials.csrf = session.csrfToken
                            world.staff[who] = credentials
                        }
                        let response = try await Self.request(client, route.method, route.pattern, as: who, in: world)
                        #expect(response.status.code < 500, "\(key) as \(who.title): \(response.status)")
                        letters += Self.allowed(response, pattern: route.pattern) ? "A" : "R"
                        if ProcessInfo.processInfo.environment["ACCESS_MATRIX_DISCOVER"] != nil {
                            print("ACCESS \(key) \(who) \(response.status.code) \(response.headers[.location] ?? "")")
                        }
                    }
                    observed[key] = letters
                }
                return observed
            }

            if let path = ProcessInfo.processInfo.environment["ACCESS_MATRIX_DISCOVER"] {
                let lines = observed.keys.sorted().map { "        \"\($0)\": \"\(observed[$0]!)\"," }
                try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            }
            for (key, letters) in observed.sorted(by: { $0.key < $1.key }) {
                let want = Self.expected[key]
                #expect(want != nil, "\(key) has no entry in the access matrix (observed \(letters))")
                if let want { #expect(want == letters, "\(key): expected \(want), observed \(letters) (\(Self.legend))") }
            }
            for key in Self.expected.keys where observed[key] == nil {
                Issue.record("\(key) is in the access matrix but the router does not serve it")
            }
            if kind == .sqlite, ProcessInfo.processInfo.environment["ACCESS_MATRIX_DOC"] == "1" {
                try Self.writeDocument(observed)
            }
        }
    }

    static let legend = "anonymous, attendee, door, other chapter's organiser, organiser, admin"

    /// Reads before writes, deletes last.
    static func rank(_ method: HTTPRequest.Method, _ pattern: String) -> String {
        let order = [HTTPRequest.Method.get: 0, .post: 1, .put: 1, .patch: 1, .delete: 2][method] ?? 1
        let last = pattern.contains("erase") || pattern.contains("signout") || pattern.contains("handover") || pattern.hasSuffix("/cancel") ? 1 : 0
        return "\(order)\(last) \(pattern) \(method)"
    }

    /// A path for the pattern: the chapter `toulouse`, its evening, the attendee's registration;
    /// other ids are made up (the answer is then 404 for everyone allowed or not: the point is no 5xx).
    static func path(_ pattern: String, as who: Who, in world: World) -> String {
        let made = "5b8e2c1a-0f3d-4e6b-9a7c-2d1e0f9a8b7c"
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var filled: [String] = []
        for (index, segment) in segments.enumerated() {
            guard segment.hasPrefix(":") else { filled.append(segment); continue }
            let before = index > 0 ? segments[index - 1] : ""
            switch segment {
            case ":slug": filled.append("toulouse")
            case ":registration": filled.append(world.registration.description)
            case ":token": filled.append(who == .attendee ? world.manageToken : "not-a-real-token-0123456789abcdef")
            case ":action": filled.append(pattern.hasPrefix("/me/") ? "accept" : "cancel")
            case ":id":
                if before == "registrations" { filled.append(world.registration.description) }
                else if ["events", "door", "screen", "live", "report"].contains(before) && !pattern.hasPrefix("/me/") && !pattern.hasPrefix("/admin/") { filled.append(world.event.description) }
                else if before == "events" && pattern.hasPrefix("/me/") { filled.append(world.event.description) }
                else { filled.append(made) }
            default: filled.append(made)
            }
        }
        return filled.joined(separator: "/")
    }

    static func request(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ pattern: String, as who: Who, in world: World) async throws -> TestResponse {
        let uri = path(pattern, as: who, in: world)
        var headers: HTTPFields = [.acceptLanguage: "en"]
        var cookies: [String] = []
        var csrf = ""
        if let staff = world.staff[who] {
            cookies.append("rv_session=\(staff.session)")
            headers[.authorization] = "Bearer \(staff.bearer)"
            csrf = staff.csrf
        }
        if who == .attendee {
            cookies.append("rv_me=\(world.attendeeCookie)")
            headers[HTTPField.Name("X-Manage-Token")!] = world.manageToken
            csrf = world.attendeeCSRF
        }
        if !cookies.isEmpty { headers[.cookie] = cookies.joined(separator: "; ") }
        guard method != .get && method != .delete else { return try await client.execute(uri: uri, method: method, headers: headers) }
        if pattern.hasPrefix("/api/") {
            headers[.contentType] = "application/json"
            return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: "{}"))
        }
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: method, headers: headers, body: PageTests.form(csrf.isEmpty ? [:] : ["_csrf": csrf]))
    }

    /// Sent to sign in counts as refused: to the organisers' sign-in (`/signin?next=…`), or to My
    /// Rendezvous' (`/me`) from anything but signing out of it.
    static func allowed(_ response: TestResponse, pattern: String) -> Bool {
        switch response.status.code {
        case 401, 403, 404, 405: return false
        case 300..<400:
            let location = response.headers[.location] ?? ""
            return !(location.hasPrefix("/signin?next=") || (location == "/me" && pattern != "/me/signout"))
        default: return true
        }
    }

    static func writeDocument(_ observed: [String: String]) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/security.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var table = [header, "",
                     "| Route | " + Who.allCases.map(\.title).joined(separator: " | ") + " |",
                     "|---|" + Who.allCases.map { _ in ":-:" }.joined(separator: "|") + "|"]
        for key in observed.keys.sorted(by: { ($0.split(separator: " ")[1], $0) < ($1.split(separator: " ")[1], $1) }) {
            table.append("| `\(key)` | " + observed[key]!.map { $0 == "A" ? "✓" : "·" }.joined(separator: " | ") + " |")
        }
        table += ["", footer]
        guard let start = text.range(of: header), let end = text.range(of: footer) else {
            Issue.record("docs/security.md has no access-matrix markers")
            return
        }
        let updated = text.replacingCharacters(in: start.lowerBound..<end.upperBound, with: table.joined(separator: "\n"))
        try updated.write(to: url, atomically: true, encoding: .utf8)
    }
}
