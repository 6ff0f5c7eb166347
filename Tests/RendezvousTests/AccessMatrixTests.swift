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
/// requested as six people with every path parameter a real record of the chapter, and the exact
/// status is checked against one table below. A route the table does not know fails the test, so
/// does an entry for a route that is gone, and so does a parameter no record fills (`missing-…`):
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

    /// One answer per person, in `Who` order: the status, and for a redirect to a sign-in page
    /// where it sends (`303→signin`, `303→me`). Every parameter is a real record of the chapter
    /// (`makeObjects`), so a 404 here means the person is kept away from something that exists.
    /// Regenerate the entries with `ACCESS_MATRIX_DISCOVER=<file>` and read every change.
    static let expected: [String: String] = [
        "DELETE /api/v1/chapters/:slug/audience/messages/:message": "401 401 404 404 204 204",
        "DELETE /api/v1/chapters/:slug/webhooks/:webhook": "401 401 404 404 204 204",
        "DELETE /api/v1/me/data": "401 200 401 401 401 401",
        "DELETE /api/v1/quizzes/:id": "401 401 404 404 204 204",
        "GET /": "200 200 200 200 200 200",
        "GET /account/password": "303→signin 303→signin 200 200 200 200",
        "GET /admin": "303→signin 303→signin 404 404 404 200",
        "GET /admin/applications": "303→signin 303→signin 404 404 404 200",
        "GET /admin/blocks": "303→signin 303→signin 404 404 404 200",
        "GET /admin/chapters/:slug/handover": "303→signin 303→signin 404 404 404 200",
        "GET /admin/directory": "303→signin 303→signin 404 404 404 200",
        "GET /admin/directory/venues/:id": "303→signin 303→signin 404 404 404 200",
        "GET /admin/incidents": "303→signin 303→signin 404 404 404 200",
        "GET /admin/insights": "303→signin 303→signin 404 404 404 200",
        "GET /admin/insights/csv/:chart": "303→signin 303→signin 404 404 404 200",
        "GET /admin/privacy": "303→signin 303→signin 404 404 404 200",
        "GET /admin/privacy/person": "303→signin 303→signin 404 404 404 200",
        "GET /api/openapi.json": "200 200 200 200 200 200",
        "GET /api/v1/chapters": "200 200 200 200 200 200",
        "GET /api/v1/chapters/:slug/audience": "401 401 404 404 200 200",
        "GET /api/v1/chapters/:slug/events": "200 200 200 200 200 200",
        "GET /api/v1/chapters/:slug/insights": "401 401 404 404 200 200",
        "GET /api/v1/chapters/:slug/quizzes": "401 401 404 404 200 200",
        "GET /api/v1/chapters/:slug/webhooks": "401 401 404 404 200 200",
        "GET /api/v1/chapters/:slug/webhooks/:webhook/deliveries": "401 401 404 404 200 200",
        "GET /api/v1/events/:id": "200 200 200 200 200 200",
        "GET /api/v1/events/:id/attendance": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/badges": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/badges/:registration": "401 401 200 404 200 200",
        "GET /api/v1/events/:id/bingo": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/demand": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/door": "401 401 200 404 200 200",
        "GET /api/v1/events/:id/door/people": "401 401 200 404 200 200",
        "GET /api/v1/events/:id/questions": "200 200 200 200 200 200",
        "GET /api/v1/events/:id/quiz-games": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/quiz-games/:game": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/registrations": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/result": "401 401 404 404 200 200",
        "GET /api/v1/events/:id/room": "401 401 404 404 200 200",
        "GET /api/v1/me/data": "401 200 401 401 401 401",
        "GET /api/v1/network/insights": "401 401 403 403 403 200",
        "GET /api/v1/quizzes/:id": "401 401 404 404 200 200",
        "GET /api/v1/registrations/:id": "404 200 404 404 404 404",
        "GET /api/v1/registrations/:id/bingo": "404 200 404 404 404 404",
        "GET /apply": "200 200 200 200 200 200",
        "GET /audience/unsubscribe/:token": "404 200 404 404 404 404",
        "GET /brand/:file": "200 200 200 200 200 200",
        "GET /c/:token": "200 200 200 200 200 200",
        "GET /c/:token/vcard": "200 200 200 200 200 200",
        "GET /chapters/:slug": "200 200 200 200 200 200",
        "GET /chapters/:slug/calendar.ics": "200 200 200 200 200 200",
        "GET /chapters/:slug/follow": "200 200 200 200 200 200",
        "GET /code-of-conduct": "200 200 200 200 200 200",
        "GET /door/:id": "303→signin 303→signin 200 404 200 200",
        "GET /door/:id/badge/:registration": "303→signin 303→signin 200 404 200 200",
        "GET /door/:id/list.json": "303→signin 303→signin 200 404 200 200",
        "GET /door/:id/state.json": "303→signin 303→signin 200 404 200 200",
        "GET /door/sw.js": "200 200 200 200 200 200",
        "GET /events/:id": "200 200 200 200 200 200",
        "GET /events/:id/calendar.ics": "200 200 200 200 200 200",
        "GET /events/:id/share.png": "200 200 200 200 200 200",
        "GET /favicon.ico": "301 301 301 301 301 301",
        "GET /feedback/:token": "404 200 404 404 404 404",
        "GET /follow/:token": "404 200 404 404 404 404",
        "GET /healthz": "200 200 200 200 200 200",
        "GET /images/:name": "200 200 200 200 200 200",
        "GET /invitations/:token": "404 200 404 404 404 404",
        "GET /live/:id": "400 400 400 400 400 400",
        "GET /live/:id/events": "400 400 400 400 400 400",
        "GET /manage/:token": "404 200 404 404 404 404",
        "GET /manage/:token/badge.png": "404 200 404 404 404 404",
        "GET /manage/:token/bingo": "404 200 404 404 404 404",
        "GET /manage/:token/data": "404 200 404 404 404 404",
        "GET /manage/:token/data.json": "404 200 404 404 404 404",
        "GET /manage/:token/people.vcf": "404 200 404 404 404 404",
        "GET /manage/:token/room.json": "404 200 404 404 404 404",
        "GET /manage/:token/ticket.png": "404 200 404 404 404 404",
        "GET /me": "200 200 200 200 200 200",
        "GET /me/data": "303→me 200 303→me 303→me 303→me 303→me",
        "GET /me/data.json": "401 200 401 401 401 401",
        "GET /me/events/:id": "303→me 200 303→me 303→me 303→me 303→me",
        "GET /me/people.csv": "401 200 401 401 401 401",
        "GET /me/people.json": "401 200 401 401 401 401",
        "GET /me/people.vcf": "401 200 401 401 401 401",
        "GET /me/photos/:name": "200 200 200 200 200 200",
        "GET /me/profile": "303→me 200 303→me 303→me 303→me 303→me",
        "GET /me/profile.json": "204 200 204 204 204 204",
        "GET /me/signin/:token": "410 200 410 410 410 410",
        "GET /metrics": "404 404 404 404 404 404",
        "GET /network": "200 200 200 200 200 200",
        "GET /organize": "303→signin 303→signin 303 303 303 200",
        "GET /organize/:slug": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/audience": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/audience/:message": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/audit": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/branding": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/events/new": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/incidents": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/insights": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/insights/csv/:chart": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/outbox": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/quizzes": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/quizzes/:quiz": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/quizzes/:quiz/delete": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/quizzes/:quiz/questions/:index": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/series/new": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/settings": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/team": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/webhooks": "303→signin 303→signin 404 404 200 200",
        "GET /organize/:slug/webhooks/:webhook": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/attendees.csv": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/badges": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/badges.pdf": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/bingo": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/bingo.pdf": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/edit": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/follow-up": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/images": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/import": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/message": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/overflow": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/questions": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/quiz": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/quiz-results/:game": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/room": "303→signin 303→signin 404 404 200 200",
        "GET /organize/events/:id/room/plan.pdf": "303→signin 303→signin 404 404 200 200",
        "GET /password/forgot": "200 200 200 200 200 200",
        "GET /password/reset/:token": "409 409 409 409 200 409",
        "GET /q": "200 200 200 200 200 200",
        "GET /q/:code": "200 303 200 200 200 200",
        "GET /q/:code/play": "303 200 303 303 303 303",
        "GET /q/:code/qr.png": "200 200 200 200 200 200",
        "GET /quiz-images/:id": "200 200 200 200 200 200",
        "GET /readyz": "200 200 200 200 200 200",
        "GET /report/:id": "200 200 200 200 200 200",
        "GET /screen/:id": "303→signin 303→signin 200 404 200 200",
        "GET /screen/:id/state.json": "404 404 200 404 200 200",
        "GET /signin": "200 200 303 303 303 303",
        "GET /static/:file": "200 200 200 200 200 200",
        "GET /t/:token": "200 200 200 200 200 200",
        "GET /unsubscribe/:token": "404 200 404 404 404 404",
        "PATCH /api/v1/events/:id": "401 401 404 404 200 200",
        "POST /account/password": "401 401 422 422 422 422",
        "POST /admin/applications/:id/approve": "401 401 404 404 404 200",
        "POST /admin/applications/:id/decline": "401 401 404 404 404 200",
        "POST /admin/blocks": "401 401 404 404 404 422",
        "POST /admin/blocks/:id/remove": "401 401 404 404 404 303",
        "POST /admin/chapters/:slug/handover": "401 401 404 404 404 422",
        "POST /admin/directory/speakers": "401 401 404 404 404 422",
        "POST /admin/directory/venues": "401 401 404 404 404 422",
        "POST /admin/directory/venues/:id": "401 401 404 404 404 422",
        "POST /admin/directory/venues/:id/remove": "401 401 404 404 404 200",
        "POST /admin/incidents/:id": "401 401 404 404 404 303",
        "POST /admin/privacy/conduct": "401 401 404 404 404 303",
        "POST /admin/privacy/person": "401 401 404 404 404 422",
        "POST /admin/privacy/retention": "401 401 404 404 404 422",
        "POST /api/v1/audience/unsubscribe": "422 422 422 422 422 422",
        "POST /api/v1/chapters": "401 401 403 403 403 422",
        "POST /api/v1/chapters/:slug/audience/messages": "401 401 404 404 422 422",
        "POST /api/v1/chapters/:slug/events": "401 401 404 404 422 422",
        "POST /api/v1/chapters/:slug/followers": "422 422 422 422 422 422",
        "POST /api/v1/chapters/:slug/quizzes": "401 401 404 404 422 422",
        "POST /api/v1/chapters/:slug/webhooks": "401 401 404 404 422 422",
        "POST /api/v1/chapters/:slug/webhooks/:webhook/test": "401 401 404 404 202 202",
        "POST /api/v1/events/:id/attendance-checks": "401 401 404 404 202 202",
        "POST /api/v1/events/:id/bingo": "401 401 404 404 422 422",
        "POST /api/v1/events/:id/door/check-ins": "401 401 422 404 422 422",
        "POST /api/v1/events/:id/door/undo": "401 401 422 404 422 422",
        "POST /api/v1/events/:id/door/walk-ins": "401 401 422 404 422 422",
        "POST /api/v1/events/:id/follow-up/send": "401 401 404 404 409 409",
        "POST /api/v1/events/:id/incidents": "422 422 422 422 422 422",
        "POST /api/v1/events/:id/overflow": "401 401 404 404 422 422",
        "POST /api/v1/events/:id/registrations": "422 422 422 422 422 422",
        "POST /api/v1/events/:id/room/moves": "401 401 404 404 400 400",
        "POST /api/v1/events/:id/room/plan": "401 401 404 404 200 200",
        "POST /api/v1/events/:id/room/rounds": "401 401 404 404 400 400",
        "POST /api/v1/registrations/:id/accept": "404 200 404 404 404 404",
        "POST /api/v1/registrations/:id/bingo/ticks": "404 422 404 404 404 404",
        "POST /api/v1/registrations/:id/cancel": "404 200 404 404 404 404",
        "POST /api/v1/registrations/:id/decline": "404 409 404 404 404 404",
        "POST /api/v1/tokens": "422 422 422 422 422 422",
        "POST /apply": "422 422 422 422 422 422",
        "POST /audience/unsubscribe/:token": "404 200 404 404 404 404",
        "POST /c/:token/bingo": "404 303 404 404 404 404",
        "POST /c/:token/met": "403 303 403 403 403 403",
        "POST /chapters/:slug/follow": "422 422 422 422 422 422",
        "POST /door/:id/checkins": "401 401 422 404 422 422",
        "POST /door/:id/undo": "401 401 422 404 422 422",
        "POST /door/:id/walkins": "401 401 422 404 422 422",
        "POST /door/:id/window": "401 401 404 404 400 400",
        "POST /events/:id/link": "422 422 422 422 422 422",
        "POST /events/:id/register": "422 422 422 422 422 422",
        "POST /feedback/:token": "404 422 404 404 404 404",
        "POST /follow/:token": "404 200 404 404 404 404",
        "POST /invitations/:token": "404 422 404 404 404 404",
        "POST /live/:id/answer": "404 400 404 404 404 404",
        "POST /live/:id/command": "404 404 404 404 400 400",
        "POST /manage/:token/:action": "404 200 404 404 404 404",
        "POST /manage/:token/bingo/tick": "404 422 404 404 404 404",
        "POST /manage/:token/data/consents": "404 303 404 404 404 404",
        "POST /manage/:token/data/erase": "404 200 404 404 404 404",
        "POST /manage/:token/quiz": "404 303 404 404 404 404",
        "POST /me": "422 422 422 422 422 422",
        "POST /me/data/consents": "303→me 303 303→me 303→me 303→me 303→me",
        "POST /me/data/erase": "303→me 200 303→me 303→me 303→me 303→me",
        "POST /me/events/:id/met": "303→me 303 303→me 303→me 303→me 303→me",
        "POST /me/people/:id/:action": "303→me 303 303→me 303→me 303→me 303→me",
        "POST /me/photo": "303→me 422 303→me 303→me 303→me 303→me",
        "POST /me/profile": "303→me 422 303→me 303→me 303→me 303→me",
        "POST /me/signin/:token": "410 303→me 410 410 410 410",
        "POST /me/signout": "303→me 303→me 303→me 303→me 303→me 303→me",
        "POST /organize/:slug/audience": "401 401 404 404 422 422",
        "POST /organize/:slug/audience/:message": "401 401 404 404 422 422",
        "POST /organize/:slug/audience/:message/cancel": "401 401 404 404 303 303",
        "POST /organize/:slug/branding": "401 401 404 404 200 200",
        "POST /organize/:slug/events": "401 401 404 404 422 422",
        "POST /organize/:slug/incidents/:report": "401 401 404 404 303 303",
        "POST /organize/:slug/outbox/:message/retry": "401 401 404 404 303 303",
        "POST /organize/:slug/outbox/retry": "401 401 404 404 303 303",
        "POST /organize/:slug/quizzes": "401 401 404 404 422 422",
        "POST /organize/:slug/quizzes/:quiz": "401 401 404 404 422 422",
        "POST /organize/:slug/quizzes/:quiz/copy": "401 401 404 404 303 303",
        "POST /organize/:slug/quizzes/:quiz/delete": "401 401 404 404 303 303",
        "POST /organize/:slug/quizzes/:quiz/questions": "401 401 404 404 409 409",
        "POST /organize/:slug/quizzes/:quiz/questions/:index": "401 401 404 404 409 409",
        "POST /organize/:slug/quizzes/:quiz/questions/:index/delete": "401 401 404 404 303 303",
        "POST /organize/:slug/quizzes/:quiz/questions/:index/move": "401 401 404 404 400 400",
        "POST /organize/:slug/series": "401 401 404 404 422 422",
        "POST /organize/:slug/settings": "401 401 404 404 422 422",
        "POST /organize/:slug/team/:user/remove": "401 401 404 404 303 303",
        "POST /organize/:slug/team/invitations/:invitation/resend": "401 401 404 404 303 303",
        "POST /organize/:slug/team/invitations/:invitation/revoke": "401 401 404 404 200 200",
        "POST /organize/:slug/team/invite": "401 401 404 404 422 422",
        "POST /organize/:slug/webhooks": "401 401 404 404 422 422",
        "POST /organize/:slug/webhooks/:webhook/delete": "401 401 404 404 200 200",
        "POST /organize/:slug/webhooks/:webhook/deliveries/:delivery/redeliver": "401 401 404 404 303 303",
        "POST /organize/:slug/webhooks/:webhook/enabled": "401 401 404 404 303 303",
        "POST /organize/:slug/webhooks/:webhook/ping": "401 401 404 404 303 303",
        "POST /organize/:slug/webhooks/:webhook/rotate": "401 401 404 404 200 200",
        "POST /organize/events/:id/attendance-check": "401 401 404 404 303 303",
        "POST /organize/events/:id/attendees": "401 401 404 404 422 422",
        "POST /organize/events/:id/attendees/:registration/cancel": "401 401 404 404 303 303",
        "POST /organize/events/:id/attendees/:registration/note": "401 401 404 404 303 303",
        "POST /organize/events/:id/attendees/:registration/promote": "401 401 404 404 303 303",
        "POST /organize/events/:id/bingo/generate": "401 401 404 404 400 400",
        "POST /organize/events/:id/cancel": "401 401 404 404 200 200",
        "POST /organize/events/:id/capacity": "401 401 404 404 422 422",
        "POST /organize/events/:id/duplicate": "401 401 404 404 422 422",
        "POST /organize/events/:id/edit": "401 401 404 404 422 422",
        "POST /organize/events/:id/follow-up": "401 401 404 404 303 303",
        "POST /organize/events/:id/follow-up/send": "401 401 404 404 200 200",
        "POST /organize/events/:id/images": "401 401 404 404 422 422",
        "POST /organize/events/:id/import": "401 401 404 404 422 422",
        "POST /organize/events/:id/message": "401 401 404 404 422 422",
        "POST /organize/events/:id/overbooking": "401 401 404 404 303 303",
        "POST /organize/events/:id/overflow": "401 401 404 404 422 422",
        "POST /organize/events/:id/publish": "401 401 404 404 303 303",
        "POST /organize/events/:id/questions": "401 401 404 404 303 303",
        "POST /organize/events/:id/questions/:question/move": "401 401 404 404 400 400",
        "POST /organize/events/:id/questions/:question/remove": "401 401 404 404 200 200",
        "POST /organize/events/:id/quiz/command": "401 401 404 404 400 400",
        "POST /organize/events/:id/quiz/start": "401 401 404 404 303 303",
        "POST /organize/events/:id/room/apart": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/finish": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/left": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/move": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/next": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/pause": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/pin": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/plan": "401 401 404 404 303 303",
        "POST /organize/events/:id/room/resume": "401 401 404 404 400 400",
        "POST /organize/events/:id/room/setup": "401 401 404 404 422 422",
        "POST /organize/events/:id/speakers/:speaker/photo": "401 401 404 404 200 200",
        "POST /organize/events/:id/unpublish": "401 401 404 404 303 303",
        "POST /password/forgot": "200 200 200 200 200 200",
        "POST /password/reset/:token": "409 409 409 409 422 409",
        "POST /q/:code": "422 422 422 422 422 422",
        "POST /report/:id": "422 422 422 422 422 422",
        "POST /signin": "403 403 403 403 403 403",
        "POST /signout": "401 401 303→signin 303→signin 303→signin 303→signin",
        "POST /t/:token": "401 401 200 404 200 200",
        "POST /unsubscribe/:token": "404 200 404 404 404 404",
        "PUT /api/v1/chapters/:slug/audience/messages/:message": "401 401 404 404 422 422",
        "PUT /api/v1/events/:id/attendance/:registration": "401 401 404 404 422 422",
        "PUT /api/v1/events/:id/door/window": "401 401 404 404 400 400",
        "PUT /api/v1/events/:id/follow-up": "401 401 404 404 200 200",
        "PUT /api/v1/events/:id/overbooking": "401 401 404 404 200 200",
        "PUT /api/v1/events/:id/room": "401 401 404 404 422 422",
        "PUT /api/v1/feedback": "422 422 422 422 422 422",
        "PUT /api/v1/me/consents": "401 200 401 401 401 401",
        "PUT /api/v1/quizzes/:id": "401 401 404 404 422 422",
    ]

    /// Why an answer is what it is where that is not obvious from the route: printed in the
    /// matrix's note column in docs/security.md.
    static let notes: [String: String] = [
        "GET /api/v1/network/insights": "Signed-in non-admins 403.",
        "GET /api/v1/registrations/:id": "The attendee's manage token in X-Manage-Token: nobody else.",
        "GET /brand/:file": "The stylesheet of a brand colour: no chapter data.",
        "GET /c/:token": "A badge's contact card: whoever scans the badge sees what its holder chose to share.",
        "GET /c/:token/vcard": "As the card.",
        "GET /favicon.ico": "To the static icon.",
        "GET /images/:name": "Event covers and chapter logos are public pictures, named at random.",
        "GET /invitations/:token": "Sent to the attendee's address, so the attendee holds the link.",
        "GET /live/:id": "WebSocket: a plain GET asks for no topic, 400 for everyone (roles: QuizLiveTests, RoomLiveTests).",
        "GET /live/:id/events": "Event stream: without topics 400 for everyone (a stream never ends; roles: QuizLiveTests, RoomLiveTests).",
        "GET /me/photos/:name": "An attendee's photo is served to whoever holds its random name, which only pages allowed to show it give out; replacing or erasing the photo deletes the file.",
        "GET /me/profile.json": "204 when signed out of My Rendezvous.",
        "GET /me/signin/:token": "Mailed to the attendee; any other link answers 410.",
        "GET /metrics": "Needs the metrics key (OperationsTests): 404 without it.",
        "GET /organize": "Staff who are not admins are sent to their chapter (303).",
        "GET /organize/:slug/insights/csv/:chart": "A chart's name is not a record: another chapter's organiser asks on this chapter (404).",
        "GET /q/:code": "The attendee already plays this game on their phone: sent on to it (303).",
        "GET /q/:code/play": "The player's page: the attendee plays; anyone else is sent to join (303).",
        "GET /password/reset/:token": "Mailed to the organiser; any other link answers 409 'link expired'.",
        "GET /quiz-images/:id": "A question's picture is shown on the room's screen and players' phones: public by its random id.",
        "GET /screen/:id/state.json": "JSON: signed out 404 rather than a sign-in page.",
        "GET /signin": "Signed-in staff are sent on (303).",
        "GET /static/:file": "Public assets.",
        "GET /t/:token": "Whoever scans a ticket sees it; only the chapter's door staff and organisers see the name and the admit button (DoorTests).",
        "POST /api/v1/chapters": "Signed-in non-admins 403.",
        "POST /api/v1/chapters/:slug/webhooks/:webhook/test": "Queues a ping (202).",
        "POST /api/v1/events/:id/attendance-checks": "Queues the check (202).",
        "POST /api/v1/registrations/:id/decline": "No offer to decline: 409.",
        "POST /c/:token/bingo": "The attendee's phone (its bingo cookie, repeated in the form) ticks a square; the form's copy alone opens nothing: 404.",
        "POST /c/:token/met": "Only a guest of the same evening (the attendee) may say they met: 403 for others.",
        "POST /door/:id/window": "Opening hours of the door are the organisers': door staff 404.",
        "POST /invitations/:token": "The attendee's empty form: 422.",
        "POST /live/:id/answer": "The attendee plays (their phone's player cookie; 400: the empty body is no answer); without a player's cookie 404.",
        "POST /live/:id/command": "The presenter's: organiser and admin reach it (400: the empty body names no command).",
        "POST /manage/:token/:action": "Action `cancel`: the attendee cancels (run among the last routes).",
        "POST /me/events/:id/met": "Body names the other guest.",
        "POST /me/people/:id/:action": "Action `note` on the attendee's contact.",
        "POST /me/signin/:token": "Signs the attendee in; any other link 410.",
        "POST /me/signout": "Everyone is sent back to My Rendezvous.",
        "POST /organize/:slug/quizzes/:quiz/questions": "The empty form lacks the quiz's edit stamp: 409 'changed elsewhere'.",
        "POST /organize/:slug/quizzes/:quiz/questions/:index": "As adding: 409 without the edit stamp.",
        "POST /organize/events/:id/quiz/start": "Body names the chapter's quiz.",
        "POST /password/reset/:token": "The organiser's empty form: 422; other links 409.",
        "POST /signin": "Refused (403) without the sign-in page's form token.",
        "POST /t/:token": "Admits the guest: the chapter's door staff and organisers; another chapter's organiser 404; signed out 401.",
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
        /// The chapter's own records, by the name `path` asks for: every parameter of every route is one of them.
        var objects: [String: String] = [:]
    }

    /// Routes that take away what they name: each person gets a fresh copy of the chapter's records,
    /// so the organiser removing one does not decide what the admin finds.
    static func destructive(_ method: HTTPRequest.Method, _ pattern: String) -> Bool {
        method == .delete || ["delete", "remove", "revoke", "cancel", "decline", "approve", "erase", "start", "copy"].contains(pattern.split(separator: "/").last.map(String.init) ?? "")
    }

    /// Real records of the chapter `toulouse` for every parameter the route tables take: an evening's
    /// quiz and its session, a question, a speaker, an image, a contact between the attendee and
    /// another guest, a webhook and one of its deliveries, an invitation, a team member, an incident
    /// report, audience and outbox messages, a shared venue, a chapter application, a block, and
    /// the attendee's secret links (ticket, contact card, feedback, unsubscribe, follow).
    static func makeObjects(_ app: TestApp, chapter: Chapter, event: Event, attendee: Registration, other: Registration,
                            previous: [String: String] = [:]) async throws -> [String: String] {
        let p = app.persistence
        let now = app.clock.now()
        let tag = UUID().uuidString.prefix(8).lowercased()
        var o: [String: String] = [:]
        let png = QuizLibraryTests.png
        // The evening's look: a cover image, a speaker with a photo, the chapter's logo.
        try await p.images.setCover(event: event.id, chapter: chapter.id, image: NewImage(kind: "cover", contentType: "image/png", bytes: png, width: 1, height: 1), remove: false, alt: "", now: now)
        o["image"] = try need(try await p.images.look(of: event.id).cover)
        let speaker = try need(try await p.images.editableSpeakers(of: event.id, chapter: chapter.id).first)
        o["speaker"] = speaker.speaker.description
        let color = try need(BrandColor("0b6e4f"))
        try await p.images.setBrand(chapter: chapter.id, logo: NewImage(kind: "logo", contentType: "image/png", bytes: png, width: 1, height: 1), removeLogo: false, color: color, now: now)
        o["logo"] = try need(try await p.images.brand(of: chapter.id).logo)
        o["brand"] = color.digits + ".css"
        // A quiz of the chapter with an image, and a session of it at the evening.
        let quiz = Quiz(chapterID: chapter.id, title: "Matrix \(tag)", language: .en,
                        questions: [QuizQuestion(kind: .trueFalse, prompt: "Vrai ?", correct: [0]), QuizQuestion(kind: .trueFalse, prompt: "Faux ?", correct: [1])],
                        updatedAt: now)
        try await p.quizzes.save(quiz)
        o["quiz"] = quiz.id.description
        o["quizImage"] = try await p.quizzes.addImage(quiz: quiz.id, contentType: "image/png", bytes: Data(png), now: now)
        if let session = try await p.quizzes.latestSession(event: event.id) {
            o["game"] = session.id.description
            o["code"] = session.code
        } else {
            let session = try await p.quizzes.start(quiz, event: event.id, teams: false, now: now)
            o["game"] = session.id.description
            o["code"] = session.code
        }
        // The attendee plays it on their phone (the player's cookie).
        if let game = o["game"].flatMap(QuizSession.ID.init(string:)),
           let player = try? await p.quizzes.join(session: game, registration: attendee.id, name: "Marie", team: nil, now: now) {
            o["quizPlayer"] = LiveController.playerCookieValue(player.id, vault: p.tokens)
        } else {
            o["quizPlayer"] = previous["quizPlayer"]
        }
        // A registration question of the evening.
        let question = try await p.questions.add(try RegistrationQuestion.Input(label: "Diet \(tag)", kind: "text", scope: "event").validated().get(), chapter: chapter.id, event: event.id, now: now)
        o["question"] = question.id.description
        // The attendee met another guest (the contact the attendee's My Rendezvous pages name).
        // (Once the attendee has cancelled, on the last routes, the contact made before stays.)
        _ = try? await p.contacts.weMet(me: other.id, other: attendee.id, note: "", now: now)
        o["guest"] = other.id.description
        o["contact"] = try need((try await p.contacts.people(mine: [attendee.id]).first?.id.uuidString) ?? previous["contact"])
        // Webhooks: an endpoint and a delivery.
        let (endpoint, _) = try await p.webhooks.createEndpoint(chapter: chapter.id, url: "https://hooks.example.org/\(tag)", types: [.registrationCreated], includeEmail: false, now: now)
        o["webhook"] = endpoint.id.description
        o["delivery"] = try need(try await p.webhooks.enqueuePing(endpoint.id, of: chapter.id, now: now)).description
        // The team: a pending invitation and a member who is neither the door staff nor the organiser.
        // (Sent to the attendee's address: the attendee holds its link.)
        let invitation = try await p.team.createInvitation(chapter: chapter.id, email: "person1@example.org", role: .organizer, invitedBy: "Orga", now: now)
        o["invitation"] = invitation.id.uuidString
        o["invitationToken"] = invitation.token
        let helper = try await p.accounts.createUser(email: "helper-\(tag)@example.org", name: "Helper", role: .organizer, passwordHash: Accounts.hash, chapterSlugs: [], now: now)
        try await p.team.setMembership(user: helper.id, chapter: chapter.id, role: .door, now: now)
        o["user"] = helper.id.description
        // An incident reported at the evening.
        o["incident"] = try await p.incidents.report(event: event.id, description: "Matrix \(tag)", reporterName: "", reporterContact: "", now: now).uuidString
        // Audience: a scheduled message, and a follower's confirmation and unsubscribe links.
        o["audienceMessage"] = try await p.audience.scheduleMessage(chapter: chapter.id, choice: .followers, subject: "Matrix \(tag)", body: "Hello",
                                                                     author: "Orga", sendAt: now.addingTimeInterval(86400), now: now).uuidString
        try await p.audience.requestFollow(chapter: chapter.id, email: "follower-\(tag)@example.org", language: .en, now: now)
        struct Row: Decodable { var id: UUID }
        let member = try need(try await p.sql.raw("SELECT id FROM chapter_audience WHERE email = \(bind: "follower-\(tag)@example.org")").first(decoding: Row.self)).id
        o["followToken"] = try need(try await p.audience.followToken(of: member))
        o["audienceUnsubscribeToken"] = try need(try await p.audience.unsubscribeToken(of: member))
        // A failed message in the chapter's outbox.
        try await p.outbox.enqueueMessage(.passwordReset, chapter: chapter.id, recipient: "failed-\(tag)@example.org", payload: [:], now: now)
        let outboxID = try need(try await p.sql.raw("SELECT id FROM outbox WHERE recipient = \(bind: "failed-\(tag)@example.org")").first(decoding: Row.self)).id
        try await p.sql.raw("UPDATE outbox SET status = 'failed' WHERE id = \(bind: outboxID)").run()
        o["outboxMessage"] = outboxID.uuidString
        // The network's records: a shared venue, a chapter application, a blocked address.
        try await p.network.addDirectoryVenue(name: "Salle \(tag)", address: "1 rue \(tag)", city: "Toulouse", capacity: 80, accessibility: "", contact: "", now: now)
        o["venue"] = try need(try await p.network.allVenues(now: now).first { $0.details.venue.name == "Salle \(tag)" }).details.venue.id.description
        let application = UUID()
        try await p.network.submitApplication(ChapterApplication(id: application, city: "Lyon \(tag)", countryCode: "FR", timeZone: "Europe/Paris", locale: .fr,
                                                                 applicantName: "Applicant", applicantEmail: "apply-\(tag)@example.org", motivation: "Why not", status: .pending, createdAt: now))
        o["application"] = application.uuidString
        _ = try await p.privacy.block(email: "blocked-\(tag)@example.org", reason: "spam", by: "Admin", now: now)
        o["block"] = try need(try await p.privacy.blockedPeople().first { $0.reason == "spam" }).id.uuidString
        // The attendee's secret links and photo (once the attendee has erased their data, on the last
        // routes, the links they held before).
        o["ticket"] = try need((try? await p.door.ticketToken(of: attendee.id)) ?? previous["ticket"])
        o["card"] = try need((try? await p.registrations.contactToken(of: other.id)) ?? previous["card"])
        o["feedback"] = try need((try? await p.followUp.content(for: attendee).feedbackToken) ?? previous["feedback"])
        o["unsubscribe"] = try need((try? await p.outbox.unsubscribeToken(of: attendee.id)) ?? previous["unsubscribe"])
        // A My Rendezvous sign-in link mailed to the attendee, a password reset mailed to the organiser.
        let link = UUID()
        o["signIn"] = p.attendees.signInToken(for: link)
        try await p.sql.raw("""
            INSERT INTO attendee_sign_in_links (id, email, token_hash, created_at, expires_at)
            VALUES (\(bind: link), \(bind: "person1@example.org"), \(bind: Persistence.hash(o["signIn"]!)), \(bind: now), \(bind: now.addingTimeInterval(AttendeeSignIn.linkLifetime)))
            """).run()
        let reset = UUID()
        o["reset"] = p.accounts.passwordResetToken(for: reset)
        let organiser = try need(try await p.accounts.credentials(email: "orga@example.org")?.user)
        try await p.sql.raw("""
            INSERT INTO password_resets (id, user_id, token_hash, expires_at)
            VALUES (\(bind: reset), \(bind: organiser.id.uuid), \(bind: Persistence.hash(o["reset"]!)), \(bind: now.addingTimeInterval(3600)))
            """).run()
        // The cookie the attendee's phone got with their bingo card.
        o["bingoCookie"] = try need((try? await p.bingo.cookieToken(of: attendee.id)) ?? previous["bingoCookie"])
        let photo = NewImage(kind: "photo", contentType: "image/png", bytes: png, width: 1, height: 1)
        o["photo"] = try need((try? await p.attendeePhotos.setPhoto(email: "person1@example.org", image: photo, now: now)) ?? previous["photo"])
        return o
    }

    struct Missing: Error { var what: String }

    static func need<T>(_ value: T?, _ what: String = #function) throws -> T {
        guard let value else { throw Missing(what: what) }
        return value
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
                // The attendee: registered to the evening, signed in to My Rendezvous with the same address;
                // another guest of the evening they met.
                let outcome = try await app.persistence.registrations.register(Fixture.profile(1), for: event.id, now: Fixture.start)
                let guest = try await app.persistence.registrations.register(Fixture.profile(2, first: "Karim"), for: event.id, now: Fixture.start)
                let meCookie = try await MeTests.signIn(client, app, email: "person1@example.org")
                let mePage = try await client.execute(uri: "/me", method: .get, headers: MeTests.headers(meCookie))
                let meCSRF = (try? MeTests.csrf(mePage.text)) ?? ""
                var staff: [Who: (session: String, csrf: String, bearer: String)] = [:]
                for (who, person) in people {
                    let token = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: jsonHeaders(),
                                                         body: ByteBuffer(string: #"{"email":"\#(person.user.email)","password":"\#(Accounts.password)"}"#))
                    staff[who] = (person.cookie, person.csrf, try #require(try token.json()["token"] as? String))
                }
                // The evening's room: tables, rounds and a plan.
                let setup = RoomSetup(tables: [RoomTable(name: "1", seats: 4), RoomTable(name: "2", seats: 4)], rounds: 2, roundMinutes: 15)
                _ = try await app.persistence.room.saveSetup(event: event.id, setup: setup, now: Fixture.start)
                let seated = try await app.persistence.room.people(event: event.id)
                let plan = try RotationPlanner.plan(RotationRequest(people: seated.map(\.rotationPerson), tables: setup.tables, rounds: 2, seed: 1))
                _ = try await app.persistence.room.savePlan(event: event.id, plan: plan, now: Fixture.start)
                // Bingo cards for the evening's guests.
                _ = try await app.persistence.bingo.generate(event: event.id, size: 3, now: Fixture.start, seed: 1)
                let objects = try await Self.makeObjects(app, chapter: toulouse, event: event, attendee: outcome.registration, other: guest.registration)
                var world = World(event: event.id, registration: outcome.registration.id, manageToken: outcome.registration.manageToken,
                                  attendeeCookie: meCookie, attendeeCSRF: meCSRF, staff: staff, objects: objects)

                // Reading first, then writing; erasing last, so one route's effect does not decide another's answer.
                let ordered = routes.sorted { Self.rank($0.method, $0.pattern) < Self.rank($1.method, $1.pattern) }
                for route in ordered {
                    let key = "\(route.method) \(route.pattern)"
                    var cells: [String] = []
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
                        if Self.destructive(route.method, route.pattern) {
                            // A chapter holds a few webhook endpoints: the copies made for earlier cells go.
                            for endpoint in try await app.persistence.webhooks.endpoints(of: toulouse.id) where endpoint.id.description != objects["webhook"] {
                                _ = try await app.persistence.webhooks.deleteEndpoint(endpoint.id, of: toulouse.id)
                            }
                            do {
                                world.objects = try await Self.makeObjects(app, chapter: toulouse, event: event, attendee: outcome.registration,
                                                                           other: guest.registration, previous: objects)
                            } catch {
                                Issue.record("\(key) as \(who.title): the chapter's records could not be made again: \(String(reflecting: error))")
                                throw error
                            }
                        }
                        let uri = Self.path(route.pattern, as: who, in: world)
                        #expect(!uri.contains("missing-"), "\(key): no record of the chapter for \(uri)")
                        let response = try await Self.request(client, route.method, route.pattern, as: who, in: world)
                        #expect(response.status.code < 500, "\(key) as \(who.title): \(response.status)")
                        cells.append(Self.cell(response))
                        if ProcessInfo.processInfo.environment["ACCESS_MATRIX_DISCOVER"] != nil {
                            print("ACCESS \(key) \(who) \(uri) \(response.status.code) \(response.headers[.location] ?? "")")
                        }
                    }
                    observed[key] = cells.joined(separator: " ")
                    // Every route finds the evening published: unpublishing it on one does not decide the next one's answers.
                    try await app.persistence.sql.raw("UPDATE events SET status = 'published' WHERE id = \(bind: event.id.uuid)").run()
                    // and its quiz game the one being played (starting one on a route replaces it).
                    if let session = try await app.persistence.quizzes.latestSession(event: event.id) {
                        world.objects["game"] = session.id.description
                        world.objects["code"] = session.code
                    }
                }
                return observed
            }

            if let path = ProcessInfo.processInfo.environment["ACCESS_MATRIX_DISCOVER"] {
                let lines = observed.keys.sorted().map { "        \"\($0)\": \"\(observed[$0]!)\"," }
                try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            }
            for (key, cells) in observed.sorted(by: { $0.key < $1.key }) {
                let want = Self.expected[key]
                #expect(want != nil, "\(key) has no entry in the access matrix (observed \(cells))")
                if let want { #expect(want == cells, "\(key): expected \(want), observed \(cells) (\(Self.legend))") }
            }
            for key in Self.expected.keys where observed[key] == nil {
                Issue.record("\(key) is in the access matrix but the router does not serve it")
            }
            for key in Self.notes.keys where Self.expected[key] == nil {
                Issue.record("\(key) has a note but no entry in the access matrix")
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

    /// A path for the pattern, every parameter a real record of the chapter `toulouse` (see
    /// `makeObjects`). Secret links (`:token`) are the attendee's own for the attendee (the link in
    /// their mail) and a wrong one for everyone else: holding the link is what lets one in.
    static func path(_ pattern: String, as who: Who, in world: World) -> String {
        let wrong = "not-a-real-token-0123456789abcdef"
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let o = world.objects
        var filled: [String] = []
        for (index, segment) in segments.enumerated() {
            guard segment.hasPrefix(":") else { filled.append(segment); continue }
            let before = index > 0 ? segments[index - 1] : ""
            let value: String?
            switch segment {
            case ":slug":
                // The organiser of another chapter names their own chapter and this one's record: the
                // record must still be out of reach (it is looked up within the chapter, not just by id).
                let names = segments.contains { $0.hasPrefix(":") && $0 != ":slug" && $0 != ":chart" }
                value = who == .otherOrganizer && names ? "paris" : "toulouse"
            case ":registration": value = world.registration.description
            case ":token":
                // Who holds the link: the person it was mailed to, or anyone for a code printed to be scanned.
                let (secret, holders): (String?, Set<Who>) = switch segments[1] {
                case "manage": (world.manageToken, [.attendee])
                case "feedback": (o["feedback"], [.attendee])
                case "unsubscribe": (o["unsubscribe"], [.attendee])
                case "follow": (o["followToken"], [.attendee])
                case "audience": (o["audienceUnsubscribeToken"], [.attendee])
                case "invitations": (o["invitationToken"], [.attendee])
                case "me": (o["signIn"], [.attendee])
                case "password": (o["reset"], [.organizer])
                case "t": (o["ticket"], Set(Who.allCases))   // the ticket's QR code, scanned at the door
                case "c": (o["card"], Set(Who.allCases))     // another guest's badge, scanned by whoever meets them
                default: (nil, [])
                }
                value = holders.contains(who) ? secret : wrong
            case ":action": value = pattern.hasPrefix("/me/") ? "note" : "cancel"
            case ":chart": value = pattern.hasPrefix("/admin/") ? "countries" : "attendance"
            case ":file": value = pattern.hasPrefix("/brand/") ? o["brand"] : "app.css"
            case ":name": value = pattern.hasPrefix("/me/photos/") ? o["photo"] : o["image"]
            case ":message": value = pattern.contains("/outbox/") ? o["outboxMessage"] : o["audienceMessage"]
            case ":report": value = o["incident"]
            case ":index": value = "0"
            case ":id":
                switch before {
                case "registrations": value = world.registration.description
                case "events", "door", "screen", "live", "report": value = world.event.description
                case "venues": value = o["venue"]
                case "applications": value = o["application"]
                case "blocks": value = o["block"]
                case "incidents": value = o["incident"]
                case "quizzes": value = o["quiz"]
                case "quiz-images": value = o["quizImage"]
                case "people": value = o["contact"]
                default: value = nil
                }
            default: value = o[String(segment.dropFirst())]
            }
            filled.append(value ?? "missing-\(segment.dropFirst())")
        }
        return filled.joined(separator: "/")
    }

    /// Forms whose record is named in the body rather than the path: the field and the record.
    static let formFields: [String: [String: String]] = [
        "/organize/events/:id/quiz/start": ["quiz": "quiz"],
        "/me/events/:id/met": ["registration": "guest"],
        // The phone's bingo cookie repeated in the form, and a square: alone (without the cookie) it opens nothing.
        "/c/:token/bingo": ["card": "bingoCookie", "square": "0"],
    ]

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
            cookies.append("\(BingoPagesController.cookieName)=\(world.objects["bingoCookie"] ?? "")")
            cookies.append("\(LiveController.playerCookie)=\(world.objects["quizPlayer"] ?? "")")
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
        var fields = (formFields[pattern] ?? [:]).mapValues { world.objects[$0] ?? $0 }
        if !csrf.isEmpty { fields["_csrf"] = csrf }
        return try await client.execute(uri: uri, method: method, headers: headers, body: PageTests.form(fields))
    }

    /// The answer as the table writes it: its status, and where a redirect to a sign-in page goes
    /// (`303→signin` for the organisers', `303→me` for My Rendezvous').
    static func cell(_ response: TestResponse) -> String {
        let code = response.status.code
        guard (300..<400).contains(code) else { return "\(code)" }
        let location = response.headers[.location] ?? ""
        if location.hasPrefix("/signin") { return "\(code)→signin" }
        if location == "/me" { return "\(code)→me" }
        return "\(code)"
    }

    static func writeDocument(_ observed: [String: String]) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/security.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var table = [header, "",
                     "| Route | " + Who.allCases.map(\.title).joined(separator: " | ") + " | Note |",
                     "|---|" + Who.allCases.map { _ in ":-:" }.joined(separator: "|") + "|---|"]
        for key in observed.keys.sorted(by: { ($0.split(separator: " ")[1], $0) < ($1.split(separator: " ")[1], $1) }) {
            table.append("| `\(key)` | " + observed[key]!.split(separator: " ").joined(separator: " | ") + " | \(notes[key] ?? "") |")
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
