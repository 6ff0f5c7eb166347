import Foundation
import RendezvousDomain
import RendezvousPersistence
@testable import RendezvousWeb

// The organiser workspace's pages with fixed values (`Mock`), as Ana, organiser of Toulouse,
// sees them. `OrganizePageSnapshotTests` renders each one.

extension Chrome {
    /// A page of the organiser workspace, as a signed-in organiser sees it.
    static func organizer(_ title: String, path: String) -> Chrome {
        var chrome = Chrome(title: title, language: .en, path: path)
        chrome.session = SessionNav(Mock.session(Mock.organizer))
        return chrome
    }
}

extension Mock {
    static let slug = chapter.slug
    static let pastEvent = Event.ID(UUID(uuidString: "7A2D3B8F-4C8E-4D2B-8F66-1B2C3D4E5F60")!)
    static let waitingRegistration = Registration.ID(UUID(uuidString: "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D")!)
    static let outboxMessage = UUID(uuidString: "4D5E6F70-8192-4A3B-9C4D-5E6F708192A3")!
    static let venue = "8C9D0E1F-2A3B-4C5D-8E6F-708192A3B4C5"
    static let meetup = Event(id: event, chapterID: chapter.id, title: "Rencontre trimestrielle",
                              startsAt: Date(timeIntervalSince1970: 1_802_539_800), endsAt: Date(timeIntervalSince1970: 1_802_550_600),
                              capacity: 40, createdAt: Date(timeIntervalSince1970: 1_800_000_000))
}

extension OrganizeIndexPage {
    /// A network admin or a person in several chapters picks one.
    static let mock = OrganizeIndexPage(
        chrome: .organizer("My chapters", path: OrganizeRoute.index.path),
        chapters: [.init(name: "#LinkedInLocal Toulouse", city: "Toulouse", url: OrganizeRoute.dashboard(slug: "toulouse").path, role: "Organiser"),
                   .init(name: "#LinkedInLocal Lyon", city: "Lyon", url: OrganizeRoute.dashboard(slug: "lyon").path, role: "Door staff")])
}

extension DashboardPage {
    static var mock: DashboardPage {
        var page = mockBase
        page.upcoming[0].overflow = "23 people are waiting: open a second evening?"
        page.upcoming[0].overflowURL = OrganizeRoute.overflow(Mock.event).path
        page.forecast = ["Over the last 6 evenings (412 people with a seat), 18 % did not come (likely between 15 % and 21 %).", "How sure: fairly (fewer than 8 evenings or 300 people)."]
        return page
    }

    static let mockBase = DashboardPage(
        chrome: .organizer(Mock.chapter.name, path: OrganizeRoute.dashboard(slug: Mock.slug).path), name: Mock.chapter.name,
        links: [
            .init(label: "New event", url: OrganizeRoute.newEvent(slug: Mock.slug).path),
            .init(label: "Series", url: OrganizeRoute.newSeries(slug: Mock.slug).path),
            .init(label: "Team", url: OrganizeRoute.team(slug: Mock.slug).path),
            .init(label: "Audit log", url: OrganizeRoute.audit(slug: Mock.slug).path),
            .init(label: "Outbox", url: OrganizeRoute.outbox(slug: Mock.slug).path),
            .init(label: "Settings", url: OrganizeRoute.settings(slug: Mock.slug).path),
            .init(label: "Public page", url: PublicRoute.chapter(slug: Mock.slug).path),
        ],
        upcoming: [.init(title: "Rencontre trimestrielle", url: OrganizeRoute.event(Mock.event).path, date: "14/02/2027 18:30",
                         status: "published", statusLabel: "Published", fill: "38 / 40", fillPercent: 95, waitlist: 3)],
        past: [.init(title: "Rencontre d’automne", url: OrganizeRoute.event(Mock.pastEvent).path, date: "15/11/2026", expected: 40,
                     came: "31 (+2)", noShow: "23 %")],
        noShowAverage: "On average 23 % of confirmed people did not come.",
        recent: [.init(name: "Marie Quinquies", event: "Rencontre trimestrielle", status: "confirmed", statusLabel: "Confirmed", when: "20/01/2027 09:12"),
                 .init(name: "Marc Waiting", event: "Rencontre trimestrielle", status: "waitlisted", statusLabel: "On the waiting list", when: "20/01/2027 09:15")])

    /// A new chapter: nothing yet.
    static let mockEmpty = DashboardPage(
        chrome: .organizer(Mock.chapter.name, path: OrganizeRoute.dashboard(slug: Mock.slug).path), name: Mock.chapter.name,
        links: [.init(label: "New event", url: OrganizeRoute.newEvent(slug: Mock.slug).path)],
        upcoming: [], past: [], noShowAverage: nil, recent: [])
}

extension EventFormPage {
    /// Opening a second evening: the original's form, with what will happen to the waitlist.
    static var mockOverflow: EventFormPage {
        var page = mock()
        page.heading = "Open a second evening · Rencontre trimestrielle"
        page.action = OrganizeRoute.overflow(Mock.event).path
        page.intro = ["23 people are waiting for Rencontre trimestrielle.",
                      "The new evening is published at once, with the programme copied (change anything below). Its seats are offered to the people waiting, in queue order, each offer open for 24 hours."]
        page.statusOptions = [.init(value: "published", label: "Published", selected: true)]
        page.submitLabel = "Open it and offer its seats"
        return page
    }

    static func mock(error: String? = nil, fieldError: String? = nil) -> EventFormPage {
        EventFormPage(
            chrome: .organizer("Edit · Rencontre trimestrielle", path: OrganizeRoute.editEvent(Mock.event).path),
            heading: "Edit · Rencontre trimestrielle", action: OrganizeRoute.editEvent(Mock.event).path, csrf: Mock.csrf, error: error,
            fields: [
                FormField(name: "title", label: "Title", value: "Rencontre trimestrielle", required: true, error: nil, maxLength: 140, autocomplete: "off"),
                FormField(name: "date", label: "Date", value: "2027-02-14", type: "date", required: true, hint: "Times are in Europe/Paris.", error: nil, maxLength: 10, autocomplete: "off"),
                FormField(name: "startTime", label: "Starts", value: "18:30", type: "time", required: true, error: nil, maxLength: 5, autocomplete: "off"),
                FormField(name: "endTime", label: "Ends", value: "21:30", type: "time", required: true, error: nil, maxLength: 5, autocomplete: "off"),
                FormField(name: "capacity", label: "Capacity", value: "40", type: "number", required: true, hint: "Seats for registrations.", error: fieldError, maxLength: 6, autocomplete: "off"),
            ],
            description: "Our quarterly meetup: talks & drinks.", descriptionError: nil,
            venues: [.init(value: "", label: "No venue yet", selected: false),
                     .init(value: Mock.venue, label: "Halles de la Cartoucherie, 31300 Toulouse", selected: true)],
            venueName: "", venueAddress: "",
            speakers: [.init(index: 1, name: "Léa Martin", jobTitle: "CTO · Acme"), .init(index: 2, name: "", jobTitle: ""), .init(index: 3, name: "", jobTitle: "")],
            directorySpeakers: ["Jean-Christophe Boussion", "Léa Martin"],
            agenda: "18:30 Welcome\n19:00 Talks", agendaError: nil,
            statusOptions: [.init(value: "draft", label: "Draft", selected: false), .init(value: "published", label: "Published", selected: true)],
            backURL: OrganizeRoute.event(Mock.event).path)
    }
}

extension OrganizerEventPage {
    static func mock(notice: String? = nil, error: String? = nil) -> OrganizerEventPage {
        var page = mockBase(notice: notice, error: error)
        let id = Mock.event
        page.demand = DemandPanel(
            csrf: Mock.csrf, overflowNotice: "23 people are waiting: open a second evening?", overflowURL: OrganizeRoute.overflow(id).path,
            origin: nil, originURL: nil,
            siblings: [.init(label: "Second evening on Sunday, 21 February 2027, 18:30", url: OrganizeRoute.event(Mock.pastEvent).path,
                             status: "offers awaiting an answer: 12 · accepted: 20 · moved directly: 5 · declined or expired: 3")],
            forecast: ["Over the last 6 evenings (412 people with a seat), 18 % did not come (likely between 15 % and 21 %).", "How sure: fairly (fewer than 8 evenings or 300 people)."],
            expected: "Expected: about 31 of the 38 people confirmed.", overbookingURL: OrganizeRoute.overbooking(id).path, overbookingOn: true,
            overbookingState: "Overbooking is on: up to 47 confirmations for 40 places (7 extra).",
            overbookingRule: "Rule: capacity × (1 + expected no-show rate), never beyond the room's limit. Here: 40 × (1 + 18 %) = 47; room limit 50: 7 extra seats.",
            venueLimit: "50", canOverbook: true, attendanceCheck: "3 confirmed people did not come to two evenings before.",
            attendanceCheckURL: OrganizeRoute.attendanceCheck(id).path)
        return page
    }

    static func mockBase(notice: String? = nil, error: String? = nil) -> OrganizerEventPage {
        let id = Mock.event
        return OrganizerEventPage(
            chrome: .organizer("Rencontre trimestrielle", path: OrganizeRoute.event(id).path), csrf: Mock.csrf,
            title: "Rencontre trimestrielle", chapterName: Mock.chapter.name, dashboardURL: OrganizeRoute.dashboard(slug: Mock.slug).path,
            publicURL: PublicRoute.event(id).path, editURL: OrganizeRoute.editEvent(id).path, exportURL: OrganizeRoute.exportCSV(id).path,
            importURL: OrganizeRoute.importCSV(id).path, badgesURL: OrganizeRoute.badges(id).path, doorURL: DoorRoute.page(id).path,
            messageURL: OrganizeRoute.message(id).path, date: "Sunday, 14 February 2027 · 18:30", statusLabel: "Published", status: "published",
            availability: "38 / 40 · 2 seats left", notice: notice, error: error,
            actions: [.init(url: OrganizeRoute.unpublish(id).path, label: "Unpublish", style: ""),
                      .init(url: OrganizeRoute.cancelEvent(id).path, label: "Cancel the event", style: "danger")],
            capacityURL: OrganizeRoute.capacity(id).path, capacity: 40, duplicateURL: OrganizeRoute.duplicate(id).path, duplicateDate: "2027-05-16",
            query: "", sort: nil, direction: nil,
            columns: AttendeeSort("name", descending: false).columns(path: OrganizeRoute.event(id).path, keeping: [], language: .en),
            pager: Pager(total: 241, page: 2, path: OrganizeRoute.event(id).path, keeping: [("q", "marie")], language: .en),
            filters: [.init(value: "", label: "All", selected: true), .init(value: "confirmed", label: "Confirmed", selected: false),
                      .init(value: "waitlisted", label: "On the waiting list", selected: false), .init(value: "came", label: "Came", selected: false)],
            attendees: [
                .init(id: Mock.registration.description, name: "Marie Quinquies", email: "marie@example.org", role: "Consultante · Indépendante",
                      status: "confirmed", statusLabel: "Confirmed", position: nil, note: "Vegetarian", source: "Web form", registered: "16 Jan 2027 09:12", arrived: "Came at 18:41",
                      canCancel: true, canPromote: false,
                      cancelURL: OrganizeRoute.cancelAttendee(id, registration: Mock.registration).path,
                      promoteURL: OrganizeRoute.promoteAttendee(id, registration: Mock.registration).path,
                      noteURL: OrganizeRoute.noteAttendee(id, registration: Mock.registration).path),
                .init(id: Mock.waitingRegistration.description, name: "Marc Waiting", email: "marc@example.org", role: "",
                      status: "waitlisted", statusLabel: "On the waiting list", position: 1, note: "", source: "Added by an organiser", registered: "17 Jan 2027 21:40", arrived: nil,
                      canCancel: true, canPromote: true,
                      cancelURL: OrganizeRoute.cancelAttendee(id, registration: Mock.waitingRegistration).path,
                      promoteURL: OrganizeRoute.promoteAttendee(id, registration: Mock.waitingRegistration).path,
                      noteURL: OrganizeRoute.noteAttendee(id, registration: Mock.waitingRegistration).path),
            ],
            shownCount: "2 shown of 41", addURL: OrganizeRoute.addAttendee(id).path,
            addFields: [
                FormField(name: "firstName", label: "First name", value: "", required: true, error: nil, maxLength: 80, autocomplete: "off"),
                FormField(name: "email", label: "Email", value: "marie@example.org", type: "email", required: true,
                          error: error == nil ? nil : "Already registered.", maxLength: 254, autocomplete: "off"),
            ], roomURL: OrganizeRoute.room(id).path, bingoURL: OrganizeRoute.bingo(id).path, quizURL: OrganizeRoute.quizzes(slug: "toulouse").path)
    }
}

extension ImportPage {
    static let mock = ImportPage(
        chrome: .organizer("Import a CSV", path: OrganizeRoute.importCSV(Mock.event).path), csrf: Mock.csrf, title: "Rencontre trimestrielle",
        eventURL: OrganizeRoute.event(Mock.event).path, action: OrganizeRoute.importCSV(Mock.event).path, csv: "", imported: nil, rejected: [], error: nil)

    /// After an import: how many came in, which lines did not and why.
    static let mockResult = ImportPage(
        chrome: .organizer("Import a CSV", path: OrganizeRoute.importCSV(Mock.event).path), csrf: Mock.csrf, title: "Rencontre trimestrielle",
        eventURL: OrganizeRoute.event(Mock.event).path, action: OrganizeRoute.importCSV(Mock.event).path,
        csv: "Email,First Name\nmarie@example.org,Marie\n<b>bad</b>,Evil", imported: 1,
        rejected: [.init(line: 3, reason: "Email: Not a valid email address.")], error: nil)
}

extension SeriesPage {
    static let mock = SeriesPage(
        chrome: .organizer("Series", path: OrganizeRoute.newSeries(slug: Mock.slug).path), csrf: Mock.csrf, name: Mock.chapter.name,
        action: OrganizeRoute.createSeries(slug: Mock.slug).path, dashboardURL: OrganizeRoute.dashboard(slug: Mock.slug).path,
        error: "Please correct the fields below.",
        fields: [
            FormField(name: "title", label: "Title", value: Mock.chapter.name, required: true, error: nil, maxLength: 140, autocomplete: "off"),
            FormField(name: "count", label: "How many", value: "40", type: "number", required: true, hint: "Up to 24.", error: "Between 1 and 24.", maxLength: 2, autocomplete: "off"),
        ],
        patterns: [.init(value: "monthly3", label: "Every three months", selected: true), .init(value: "weekly", label: "Every week", selected: false)],
        ordinals: [.init(value: "3", label: "third", selected: true), .init(value: "-1", label: "last", selected: false)],
        weekdays: [.init(value: "4", label: "Wednesday", selected: false), .init(value: "5", label: "Thursday", selected: true)],
        customDates: "", seriesKey: "6f1c2a5e-3b7d-4c8e-9a0f-1d2e3f4a5b6c", venues: [.init(value: "", label: "No venue yet", selected: true)])
}

extension TeamPage {
    static let mock = TeamPage(
        chrome: .organizer("Team", path: OrganizeRoute.team(slug: Mock.slug).path), csrf: Mock.csrf, name: Mock.chapter.name,
        dashboardURL: OrganizeRoute.dashboard(slug: Mock.slug).path, auditURL: OrganizeRoute.audit(slug: Mock.slug).path,
        members: [.init(name: "Ana Organiser", email: "ana@example.org", role: "Organiser",
                        removeURL: OrganizeRoute.removeMember(slug: Mock.slug, user: Mock.organizer.id).path, canRemove: false),
                  .init(name: "Door Person", email: "door@example.org", role: "Door staff",
                        removeURL: OrganizeRoute.removeMember(slug: Mock.slug, user: Mock.admin.id).path, canRemove: true)],
        pending: [.init(id: Mock.application.uuidString.lowercased(), email: "newcomer@example.org", name: "Léa Martin", hasName: true, role: "Organiser",
                        invitedBy: "Ana Organiser", sent: "13 Jan 2027", expires: "27 Jan 2027", expired: false,
                        link: "https://rendezvous.test" + AccountRoute.invitation(token: Mock.token).path,
                        resendURL: OrganizeRoute.resendInvitation(slug: Mock.slug, invitation: Mock.application).path,
                        revokeURL: OrganizeRoute.revokeInvitation(slug: Mock.slug, invitation: Mock.application).path),
                  .init(id: Mock.token, email: "door@example.org", name: "", hasName: false, role: "Door staff",
                        invitedBy: "Ana Organiser", sent: "30 Dec 2026", expires: "13 Jan 2027", expired: true,
                        link: "https://rendezvous.test" + AccountRoute.invitation(token: Mock.token).path,
                        resendURL: OrganizeRoute.resendInvitation(slug: Mock.slug, invitation: Mock.application).path,
                        revokeURL: OrganizeRoute.revokeInvitation(slug: Mock.slug, invitation: Mock.application).path)],
        inviteURL: OrganizeRoute.invite(slug: Mock.slug).path,
        roles: [.init(value: "organizer", label: "Organiser", selected: true), .init(value: "door", label: "Door staff", selected: false)],
        email: "", error: nil, notice: "Invitation sent to newcomer@example.org.",
        newLink: "https://rendezvous.test" + AccountRoute.invitation(token: Mock.token).path)
}

extension AuditPage {
    static let mock = AuditPage(
        chrome: .organizer("Audit log", path: OrganizeRoute.audit(slug: Mock.slug).path), name: Mock.chapter.name,
        dashboardURL: OrganizeRoute.dashboard(slug: Mock.slug).path,
        entries: [.init(when: "20/01/2027 09:20", who: "Ana Organiser", action: "changed the capacity", subject: "Rencontre trimestrielle: 30 → 40"),
                  .init(when: "20/01/2027 09:00", who: "Ana Organiser", action: "created an event", subject: "Rencontre <trimestrielle>")],
        pager: Pager(total: 230, page: 1, path: OrganizeRoute.audit(slug: Mock.slug).path, keeping: [], language: .en))
}

extension OutboxPage {
    static let mock = OutboxPage(
        chrome: .organizer("Outbox", path: OrganizeRoute.outbox(slug: Mock.slug).path), name: Mock.chapter.name,
        dashboardURL: OrganizeRoute.dashboard(slug: Mock.slug).path,
        filesNote: "Messages are written as files in /var/lib/rendezvous/outbox.",
        mailAlert: MailAlertView(MailAlert(kind: "credentials", detail: "535 5.7.8 Authentication failed", since: Date(timeIntervalSince1970: 1_800_000_000)),
                                 language: .en, formatter: DisplayFormatter(language: .en, timeZone: .gmt), zoneSuffix: " UTC"),
        notice: "1 message back in the queue.", csrf: Mock.csrf, retryAllURL: OrganizeRoute.retryAll(slug: Mock.slug).path,
        rows: [.init(when: "20/01/2027 09:12", recipient: "marie@example.org", subject: "You have a seat", status: "Sent", statusClass: "confirmed",
                     error: nil, retryURL: nil),
               .init(when: "20/01/2027 09:15", recipient: "marc@example.org", subject: "You are on the waiting list", status: "Failed",
                     statusClass: "cancelled", error: "550 No such user", retryURL: OrganizeRoute.retryMessage(slug: Mock.slug, message: Mock.outboxMessage).path)])
}

extension BadgesPage {
    static let mock = BadgesPage(
        chrome: .organizer("Badges", path: OrganizeRoute.badges(Mock.event).path), title: "Rencontre trimestrielle",
        eventURL: OrganizeRoute.event(Mock.event).path, pdfURL: OrganizeRoute.badgesPDF(Mock.event).path,
        layouts: [.init(value: "a4-8", label: "A4, 8 per page", selected: true), .init(value: "a6", label: "A6, one per page", selected: false)],
        includes: [.init(value: "confirmed", label: "Confirmed", selected: true), .init(value: "selection", label: "Only those ticked", selected: false)],
        people: [.init(id: Mock.registration.description, name: "Marie Quinquies", status: "Confirmed", checked: true),
                 .init(id: Mock.waitingRegistration.description, name: "Marc Waiting", status: "Offered a seat")],
        pageURL: OrganizeRoute.badges(Mock.event).path,
        previewPeople: [.init(value: Mock.registration.description, label: "Marie Quinquies", selected: true),
                        .init(value: Mock.waitingRegistration.description, label: "Marc Waiting", selected: false)],
        preview: .init(src: "data:image/png;base64,iVBORw0KGgo=", alt: "Marie · Quinquies · Consultante · Indépendante · Ask me about the pitch",
                       caption: "Marie Quinquies's badge on A4 · 8 × (90 × 55 mm), as it will print."))
}

extension SimpleFormPage {
    static let mockChapterSettings = SimpleFormPage.chapterSettings(
        Mock.chapter, values: ChapterStore.ChapterSettings(description: "Toulouse’s meetup <since 2019>.", offerHours: 400, reminderHours: 24),
        replyTo: "not an address", organizers: ["karim@example.org", "marie@example.org"],
        chrome: .organizer("Settings", path: OrganizeRoute.settings(slug: Mock.slug).path), language: .en, csrf: Mock.csrf,
        errors: ["offerHours": "Between 1 and 336.", "replyTo": "Enter a valid email address."])
}
