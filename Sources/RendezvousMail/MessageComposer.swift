import Foundation
import RendezvousBadges
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// Renders an outbox item into the email the recipient reads, in their language, from the
/// current state of the data: a message queued for a registration that has since gone is skipped.
public struct MessageComposer: Sendable {
    public let persistence: Persistence
    public let baseURL: String
    public let from: MailMessage.Address

    public init(persistence: Persistence, baseURL: String, from: MailMessage.Address) {
        self.persistence = persistence
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.from = from
    }

    public enum Outcome: Sendable {
        case message(MailMessage)
        case skip(String)
    }

    var host: String { URL(string: baseURL)?.host ?? "localhost" }

    /// The Message-ID is derived from the outbox row: a resend after a crash carries the same one.
    public func messageID(_ item: OutboxItem) -> String { "outbox-\(item.id.uuidString.lowercased())@\(host)" }

    public func compose(_ item: OutboxItem, now: Date) async throws -> Outcome {
        if item.payload["test"] == "1" { return try await testMessage(item, now: now) }
        switch item.kind {
        case .invitation, .application, .passwordReset, .deliveryFailure, .incidentReported, .webhookDisabled:
            return try await organizerMessage(item, now: now)
        case .followConfirm, .announcement, .audienceMessage:
            return try await audienceMessage(item, now: now)
        case .attendeeSignIn:
            return attendeeSignInMessage(item, now: now)
        case .followUp, .followUpNudge:
            return try await followUpMessage(item, now: now)
        default:
            return try await attendeeMessage(item, now: now)
        }
    }

    // MARK: To attendees

    func attendeeMessage(_ item: OutboxItem, now: Date) async throws -> Outcome {
        guard let id = item.registrationID, let registration = try await persistence.registrations.registration(id: id) else { return .skip("registration gone") }
        guard !registration.profile.email.isEmpty else { return .skip("no email address") }
        guard let detail = try await persistence.events.eventDetail(id: registration.eventID) else { return .skip("event gone") }
        if !item.kind.isTransactional, try await persistence.outbox.isUnsubscribed(id) { return .skip("unsubscribed") }
        let language = try await persistence.registrations.language(of: id) ?? detail.chapter.locale
        let f = DisplayFormatter(language: language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let p = registration.profile
        let manageURL = "\(baseURL)/manage/\(registration.manageToken)"
        let event = detail.event
        let when = "\(f.longDate(event.startsAt)), \(f.time(event.startsAt)) – \(f.time(event.endsAt)) (\(detail.chapter.zone.identifier))"
        var facts: [(String, String)] = [(t("event.when"), when)]
        if let venue = detail.venue {
            facts.append((t("event.where"), [venue.name, venue.address].filter { !$0.isEmpty }.joined(separator: ", ")))
        }
        var paragraphs: [String] = []
        var subject: String
        var links: [(String, String)] = [(t("mail.manageLink"), manageURL)]
        // The map is a link under the facts: a long address never widens the message on a phone.
        let map = detail.venue.map { (t("event.map"), $0.mapURL) }
        var method: ICalendar.Method? = nil
        var ticket: Ticket?
        switch item.kind {
        case .confirmed:
            subject = t("mail.confirmed.subject", ["event": event.title])
            paragraphs = [t("mail.confirmed.body", ["event": event.title]), t("mail.ticketHint")]
            // "Any date works for me": moved from the waitlist to a second evening, on its date.
            if item.payload["moved"] == "1" {
                paragraphs.insert(t("mail.overflowMoved.body", ["date": f.longDate(event.startsAt), "time": f.time(event.startsAt)]), at: 0)
            }
            // Moved here because the first evening was cancelled: says so, with both dates.
            if item.payload["originCancelled"] == "1", let moved = try await movedFromCancelled(registration, on: event, position: nil, f: f, t: t) {
                subject = moved.subject
                paragraphs[0] = moved.paragraph
            }
            method = .publish
            // The ticket's QR code, shown in the message itself; its link for text-only readers.
            if let token = try await persistence.door.ticketToken(of: registration.id) {
                let ticketURL = "\(baseURL)/t/\(token)"
                if let png = QRCode.png(ticketURL, pixelsPerModule: 6) {
                    ticket = Ticket(alt: t("mail.ticketAlt", ["event": event.title]), url: ticketURL, linkLabel: t("mail.ticketLink"),
                                    image: .init(contentID: "ticket-\(registration.id.uuid.uuidString.lowercased())@\(host)", filename: "ticket.png", data: png))
                }
            }
        case .waitlisted:
            let position = try await persistence.registrations.waitlistPosition(of: registration)
            subject = t("mail.waitlisted.subject", ["event": event.title])
            paragraphs = [t("result.waitlisted", ["position": f.number(position ?? 1)])]
            // Put on this evening's waitlist because the first evening was cancelled ("any date").
            if item.payload["originCancelled"] == "1", let moved = try await movedFromCancelled(registration, on: event, position: position, f: f, t: t) {
                subject = moved.subject
                paragraphs = [moved.paragraph]
            }
            // The second evening they had moved to (returned) or were offered a seat at (withdrawn) was
            // cancelled: one message says so, names its date, and where they stand on this evening's
            // list (unless a seat was offered to them meanwhile: the offer's mail says so). The second
            // evening's own cancellation mail is not sent to them (see .eventCancelled).
            if let kind = ["returned", "withdrawn"].first(where: { item.payload[$0] == "1" }) {
                // Holding an offer of this evening too (a seat freed here meanwhile): the withdrawn
                // one is told, and the one that stands with its deadline.
                let stillOffered = kind == "withdrawn" && registration.status == .offered ? registration.offerExpiresAt : nil
                guard registration.status == .waitlisted || stillOffered != nil else { return .skip("no longer waiting") }
                var secondEvent: Event?
                if let second = try await persistence.registrations.latestSecondEvening(from: registration.id) {
                    secondEvent = try await persistence.events.event(id: second.eventID)
                }
                let values = ["event": event.title, "date": secondEvent.map { f.longDate($0.startsAt) } ?? "",
                              "originDate": f.longDate(event.startsAt), "position": f.number(position ?? 1)]
                let returned = kind == "returned"
                if let deadline = stillOffered {
                    let offered = values.merging(["deadline": f.dateTime(deadline)]) { $1 }
                    subject = t("mail.overflowWithdrawnOffered.subject", offered)
                    paragraphs = [t("mail.overflowWithdrawnOffered.body", offered)]
                } else {
                    subject = t(returned ? "mail.overflowReturned.subject" : "mail.overflowWithdrawn.subject", values)
                    paragraphs = [t(returned ? "mail.overflowReturned.body" : "mail.overflowWithdrawn.body", values)]
                }
            }
        case .offer:
            guard registration.status == .offered, let deadline = registration.offerExpiresAt else { return .skip("offer no longer open") }
            subject = t("mail.offer.subject", ["event": event.title])
            paragraphs = [t("mail.offer.body", ["deadline": f.dateTime(deadline)])]
            // A second evening's seat, offered to the original's waitlist: it names the new date, and
            // says the place in the first evening's queue is kept unless the offer is accepted.
            if item.payload["overflow"] == "1" {
                subject = t("mail.overflowOffer.subject", ["event": event.title, "date": f.longDate(event.startsAt)])
                // A new evening's seat, not one "freed up".
                paragraphs = [t("mail.overflowOffer.body", ["date": f.longDate(event.startsAt), "time": f.time(event.startsAt)]),
                              t("mail.overflowOffer.seat", ["deadline": f.dateTime(deadline)])]
                paragraphs.append(t("mail.overflowOffer.keep"))
            }
            // Nobody is skipped: the person may hold an offer of the other evening too; accepting one gives up the other.
            if let other = try await persistence.registrations.otherOpenOffer(of: registration.id),
               let otherEvent = try await persistence.events.event(id: other.eventID) {
                paragraphs.append(t("mail.offer.otherOffer", ["date": f.longDate(otherEvent.startsAt), "time": f.time(otherEvent.startsAt)]))
            }
            links = [(t("manage.accept"), manageURL)]
        case .offerExpired:
            subject = t("mail.expired.subject", ["event": event.title])
            paragraphs = [t("manage.statusExpired")]
            // A second evening's seat whose first evening was cancelled meanwhile: no waitlist place is left there (issue 15).
            if event.overflowOf != nil, let origin = try await persistence.registrations.origin(of: registration.id),
               let original = try await persistence.events.event(id: origin.eventID), original.status == .cancelled {
                paragraphs = [t("manage.secondExpiredOriginCancelled", ["originDate": f.longDate(original.startsAt)])]
            }
        case .cancelled where registration.cancelledFrom == .waitlisted:
            // Leaving the waitlist frees no seat, and there was no invitation to take back.
            subject = t("mail.leftWaitlist.subject", ["event": event.title])
            paragraphs = [t("manage.leftWaitlistNotice")]
            links = [(t("mail.registrationLink"), manageURL)]
        case .cancelled:
            // Undone before the mail went: nothing to announce (the new confirmation follows).
            guard registration.status == .cancelled else { return .skip("cancellation undone") }
            // The calendar entry goes away; the mail no longer offers to cancel, only the page of
            // the registration (where a cancellation can be undone while the seat is free).
            subject = t("mail.cancelled.subject", ["event": event.title])
            // A holder's own cancellation records what they gave up; without it, the organisers cancelled.
            paragraphs = [registration.cancelledFrom == nil ? t("mail.cancelled.byOrganizers", ["event": event.title]) : t("manage.cancelledNotice"),
                          t("mail.cancelled.calendar")]
            // The holder can take it back while the seat has not gone to someone else.
            if registration.cancelledFrom != nil { paragraphs.append(t("mail.cancelled.undo")) }
            links = [(t("mail.registrationLink"), manageURL)]
            method = .cancel
        case .reminder:
            guard registration.status == .confirmed else { return .skip("no longer confirmed") }
            // "Tomorrow" only when it is: a reminder sent on the day says "Today", one sent earlier names the day.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = detail.chapter.zone
            let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: now), to: calendar.startOfDay(for: event.startsAt)).day ?? 1
            subject = days <= 0 ? t("mail.reminder.subjectToday", ["event": event.title])
                : days == 1 ? t("mail.reminder.subject", ["event": event.title])
                : t("mail.reminder.subjectDay", ["event": event.title, "date": f.longDate(event.startsAt)])
            paragraphs = [t("mail.reminder.body", ["event": event.title]), t("mail.checkInHowTo")]
        case .eventChanged:
            subject = t("mail.changed.subject", ["event": event.title])
            paragraphs = [t("mail.changed.body")]
            method = .request
        case .eventCancelled:
            subject = t("mail.eventCancelled.subject", ["event": event.title])
            paragraphs = [t("mail.eventCancelled.body", ["event": event.title])]
            if event.overflowOf != nil {
                // Someone who came from the original's waitlist (moved, or offered a seat) gets one
                // message, about their place back in that queue (.waitlisted, returned or withdrawn).
                if registration.status == .cancelled, let origin = try await persistence.registrations.origin(of: registration.id),
                   origin.status == .waitlisted {
                    return .skip("told by the waitlist's mail")
                }
                subject = t("mail.eventCancelled.subjectSecond", ["event": event.title, "date": f.longDate(event.startsAt)])
                paragraphs = [t("mail.eventCancelled.bodySecond", ["event": event.title, "date": f.longDate(event.startsAt)])]
            }
            // Nothing left to cancel: the link leads to the registration's page, not to "cancel".
            links = [(t("mail.registrationLink"), manageURL)]
            // Its second evening is open: where this person stands there, or where to register.
            if let note = try await secondEveningNote(for: registration, cancelled: event, f: f, now: now, t: t) {
                paragraphs.append(note.paragraph)
                links.insert(note.link, at: 0)
            }
            method = .cancel
        case .manageLink:
            subject = t("mail.manageLink.subject", ["event": event.title])
            paragraphs = [t("mail.manageLink.body", ["event": event.title])]
        case .broadcast:
            // Built by the same code as the organisers' preview and test: what they saw is what goes.
            let unsubscribe = try await persistence.outbox.unsubscribeToken(of: registration.id).map { "\(baseURL)/unsubscribe/\($0)" }
            let letter = try await eventLetter(detail, language: language, firstName: p.firstName, lastName: p.lastName, email: p.email,
                                               subject: item.payload["subject"] ?? event.title, body: item.payload["body"] ?? "",
                                               author: item.payload["from"] ?? "", manageURL: manageURL, unsubscribeURL: unsubscribe, test: false)
            return .message(message(letter, item: item, now: now, unsubscribeURL: unsubscribe))
        case .attendanceCheck:
            // Friendly and about this evening only: it never says what was counted before.
            guard registration.status == .confirmed, event.status == .published, now < event.startsAt else { return .skip("no longer confirmed") }
            subject = t("mail.attendanceCheck.subject", ["event": event.title])
            // "People are waiting" only when someone is, as the evening stands when the note goes.
            let waits = try await persistence.events.someoneWaits(for: event)
            paragraphs = [t(waits ? "mail.attendanceCheck.body" : "mail.attendanceCheck.bodyNobodyWaits", ["event": event.title]),
                          t(waits ? "mail.attendanceCheck.cancel" : "mail.attendanceCheck.cancelNobodyWaits")]
            links = [(t("mail.registrationLink"), manageURL)]
        default:
            return .skip("not an attendee message")
        }
        var attachments: [MailMessage.Attachment] = []
        if let method {
            // One person's cancellation outranks the invitation they hold (same UID, next SEQUENCE).
            // A personal cancellation goes one sequence above the event's; a confirmation after the
            // cancellation was undone goes as high (with a later DTSTAMP, which wins at an equal
            // sequence), so calendars put the entry back instead of ignoring an older update.
            let sequence = try await persistence.outbox.eventSequence(event.id) + (item.kind == .cancelled || item.payload["restored"] == "1" ? 1 : 0)
            let ics = ICalendar.calendar(name: detail.chapter.name, zone: detail.chapter.zone, entries: [
                ICalendar.Entry(uid: "event-\(event.id)@\(host)", sequence: sequence, title: event.title, description: event.description,
                                location: [detail.venue?.name, detail.venue?.address].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "),
                                url: "\(baseURL)/events/\(event.id)", startsAt: event.startsAt, endsAt: event.endsAt,
                                cancelled: method == .cancel || event.status == .cancelled, organizerName: detail.chapter.name,
                                organizerEmail: from.email),
            ], method: method, now: now)
            attachments.append(.init(filename: "invite.ics", contentType: "text/calendar; charset=utf-8; method=\(method.rawValue)", data: Data(ics.utf8)))
        }
        let unsubscribe = item.kind.isTransactional ? nil : try await persistence.outbox.unsubscribeToken(of: registration.id).map { "\(baseURL)/unsubscribe/\($0)" }
        let greeting = t("mail.greeting", ["name": p.firstName])
        let (text, html) = Self.bodies(greeting: greeting, paragraphs: paragraphs, facts: facts, map: map, links: links, ticket: ticket,
                                       footer: t("mail.footer", ["chapter": detail.chapter.name]), unsubscribe: unsubscribe.map { (t("mail.unsubscribe"), $0) },
                                       language: language)
        return .message(MailMessage(
            from: MailMessage.Address(name: detail.chapter.name, email: from.email),
            to: .init(name: "\(p.firstName) \(p.lastName)", email: p.email), replyTo: try await replyTo(detail.chapter.id),
            subject: subject, text: text, html: html,
            messageID: messageID(item), date: now, unsubscribeURL: unsubscribe, attachments: attachments,
            inlineImages: ticket.map { [$0.image] } ?? [], language: language.rawValue))
    }

    // MARK: To organisers and admins

    func organizerMessage(_ item: OutboxItem, now: Date) async throws -> Outcome {
        guard !item.recipient.isEmpty else { return .skip("no recipient") }
        var chapter: Chapter?
        if let id = item.chapterID { chapter = try await persistence.chapters.chapter(id: id) }
        let language = chapter?.locale ?? .en
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let subject: String
        var paragraphs: [String] = []
        var links: [(String, String)] = []
        switch item.kind {
        case .invitation:
            subject = t("mail.invitation.subject", ["chapter": chapter?.name ?? ""])
            // Door staff are invited to check people in, not to organise.
            let body = item.payload["role"] == ChapterRole.door.rawValue ? "mail.invitation.bodyDoor" : "mail.invitation.body"
            paragraphs = [t(body, ["name": item.payload["invitedBy"] ?? "", "chapter": chapter?.name ?? ""])]
            links = [(t("team.accept"), "\(baseURL)/invitations/\(item.payload["token"] ?? item.payload["invitation"].flatMap(UUID.init(uuidString:)).map(persistence.team.invitationToken(for:)) ?? "")")]
        case .application:
            subject = t("mail.application.subject", ["city": item.payload["city"] ?? ""])
            paragraphs = [t("mail.application.body", ["name": item.payload["name"] ?? "", "city": item.payload["city"] ?? ""]), item.payload["motivation"] ?? ""]
            links = [(t("admin.applications"), "\(baseURL)/admin/applications")]
        case .passwordReset:
            subject = t("mail.reset.subject")
            paragraphs = [t("mail.reset.body")]
            links = [(t("auth.changePassword"), "\(baseURL)/password/reset/\(item.payload["token"] ?? item.payload["reset"].flatMap(UUID.init(uuidString:)).map(persistence.accounts.passwordResetToken(for:)) ?? "")")]
        case .deliveryFailure:
            subject = t("mail.failure.subject", ["recipient": item.payload["recipient"] ?? ""])
            paragraphs = [t("mail.failure.body", ["recipient": item.payload["recipient"] ?? "", "subject": item.payload["subject"] ?? ""]),
                          item.payload["error"] ?? ""]
            if let chapter { links = [(t("mail.outboxLink"), "\(baseURL)/organize/\(chapter.slug)/outbox")] }
        case .webhookDisabled:
            // The address's query often carries a token: the subject names the host, the body the
            // address without its query; the error is told in the reader's words.
            let address = Self.redacted(item.payload["url"] ?? "")
            subject = t("mail.webhookDisabled.subject", ["host": address.host])
            paragraphs = [t("mail.webhookDisabled.body"), address.shown]
            if let error = item.payload["error"], !error.isEmpty {
                paragraphs.append(t("mail.webhookDisabled.lastError", ["error": Strings.webhookFailure(error, language)]))
            }
            if let chapter { links = [(t("webhooks.title"), "\(baseURL)/organize/\(chapter.slug)/webhooks/\(item.payload["endpoint"] ?? "")")] }
        case .incidentReported:
            // Confidential: the mail says that a report arrived and where to read it, never what it says.
            subject = t("mail.incident.subject", ["chapter": chapter?.name ?? ""])
            paragraphs = [t("mail.incident.body", ["event": item.payload["event"] ?? ""])]
            links = [(t("incidents.title"), "\(baseURL)\(item.payload["path"] ?? "/admin/incidents")")]
        default:
            return .skip("not an organiser message")
        }
        // An invitation from an approved application greets the applicant by the name they gave.
        let greeting = item.kind == .invitation ? item.payload["name"].map { t("mail.greeting", ["name": $0]) } ?? t("mail.hello") : t("mail.hello")
        let (text, html) = Self.bodies(greeting: greeting, paragraphs: paragraphs, facts: [], links: links,
                                       footer: t("mail.footerTeam", ["chapter": chapter?.name ?? "Rendezvous"]), unsubscribe: nil, language: language)
        // An invitation is answered by the chapter's organisers.
        var replyTo: [MailMessage.Address] = []
        if item.kind == .invitation, let chapter { replyTo = try await self.replyTo(chapter.id) }
        return .message(MailMessage(from: from, to: .init(email: item.recipient), replyTo: replyTo, subject: subject, text: text, html: html,
                                    messageID: messageID(item), date: now, language: language.rawValue))
    }

    // MARK: Bodies

    /// The plain-text and HTML versions of one message; every value is escaped in the HTML.
    static func bodies(greeting: String, paragraphs: [String], sections: [MailSection] = [], facts: [(String, String)], map: (String, String)? = nil,
                       links: [(String, String)], ticket: Ticket? = nil, footer: String, unsubscribe: (String, String)?,
                       language: Language) -> (text: String, html: String) {
        let colon = Self.colon(language)
        var text = [greeting, ""] + paragraphs.flatMap { [$0, ""] }
        for section in sections {
            text += [section.title, String(repeating: "-", count: min(60, section.title.count)), ""]
            if let intro = section.intro { text += [intro, ""] }
            for item in section.items {
                text.append("* \(item.title)")
                if !item.detail.isEmpty { text.append("  \(item.detail)") }
                for (label, url) in item.links { text.append("  \(label)\(colon) \(url)") }
            }
            if !section.items.isEmpty { text.append("") }
            if let legend = section.scaleLegend, !section.scale.isEmpty { text.append(legend) }
            if !section.scale.isEmpty { text += [section.scale.map { "\($0.0)\(colon) \($0.1)" }.joined(separator: "\n"), ""] }
        }
        for (label, value) in facts { text.append("\(label)\(colon) \(value)") }
        if let (label, url) = map { text.append("\(label)\(colon) \(url)") }
        if !facts.isEmpty || map != nil { text.append("") }
        if let ticket { text += ["\(ticket.linkLabel)\(colon)", ticket.url, ""] }
        for (label, url) in links { text += ["\(label)\(colon)", url, ""] }
        text += ["--", footer]
        if let (label, url) = unsubscribe { text.append("\(label)\(colon) \(url)") }
        func e(_ value: String) -> String { HTMLText.escape(value) }
        var html = ["<!doctype html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>",
                    "<body style=\"margin:0;padding:16px;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5;color:#1b1f24;background:#f7f7f5\">",
                    "<div style=\"max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:20px;overflow-wrap:anywhere;word-break:break-word\">",
                    "<p>\(e(greeting))</p>"]
        html += paragraphs.map { "<p>\(e($0))</p>" }
        for section in sections {
            html.append("<h2 style=\"font-size:18px;margin:24px 0 8px\">\(e(section.title))</h2>")
            if let intro = section.intro { html.append("<p>\(e(intro))</p>") }
            for item in section.items {
                var entry = "<p style=\"margin:10px 0;overflow-wrap:anywhere\"><strong>\(e(item.title))</strong>"
                if !item.detail.isEmpty { entry += "<br><span style=\"color:#4d5562\">\(e(item.detail))</span>" }
                for (label, url) in item.links {
                    entry += "<br><a href=\"\(e(url))\" style=\"display:inline-block;margin-top:4px;color:#0a5ea8;font-weight:700\">\(e(label))</a>"
                }
                html.append(entry + "</p>")
            }
            if !section.scale.isEmpty {
                // The 0–10 scale: eleven links in a row that wraps on a narrow phone, each a 40 px target.
                html.append("<p style=\"margin:8px 0\">" + section.scale.map {
                    "<a href=\"\(e($0.1))\" style=\"display:inline-block;min-width:40px;line-height:40px;margin:0 4px 6px 0;text-align:center;border:1px solid #0a5ea8;border-radius:6px;color:#0a5ea8;text-decoration:none;font-weight:700\">\(e($0.0))</a>"
                }.joined() + "</p>")
                if let legend = section.scaleLegend { html.append("<p style=\"color:#4d5562;font-size:14px;margin-top:0\">\(e(legend))</p>") }
            }
        }
        // Facts stacked, label above value: readable on the narrowest phone.
        for (label, value) in facts {
            html.append("<p style=\"margin:12px 0;overflow-wrap:anywhere\"><strong>\(e(label))</strong><br>\(e(value))</p>")
        }
        if let (label, url) = map {
            html.append("<p style=\"margin:0 0 12px\"><a href=\"\(e(url))\" style=\"color:#0a5ea8\">\(e(label))</a></p>")
        }
        if let ticket {
            html.append("<p style=\"text-align:center;margin:16px 0\"><a href=\"\(e(ticket.url))\"><img src=\"cid:\(e(ticket.image.contentID))\" alt=\"\(e(ticket.alt))\" width=\"220\" height=\"220\" style=\"display:inline-block;width:220px;height:220px;image-rendering:pixelated\"></a><br><a href=\"\(e(ticket.url))\" style=\"color:#0a5ea8\">\(e(ticket.linkLabel))</a></p>")
        }
        for (label, url) in links {
            html.append("<p><a href=\"\(e(url))\" style=\"display:inline-block;background:#0a5ea8;color:#fff;padding:12px 18px;border-radius:6px;text-decoration:none;font-weight:700\">\(e(label))</a></p>")
        }
        html.append("<p style=\"color:#4d5562;font-size:14px\">\(e(footer))")
        if let (label, url) = unsubscribe { html.append("<br><a href=\"\(e(url))\" style=\"color:#4d5562\">\(e(label))</a>") }
        html.append("</p></div></body></html>")
        return (text.joined(separator: "\n"), html.joined(separator: "\n"))
    }

    /// A titled part of a message: people with their links (the morning after's "people you met"),
    /// or a row of choices (the 0–10 rating).
    struct MailSection {
        var title: String
        var intro: String? = nil
        var items: [Item] = []
        var scale: [(String, String)] = []
        var scaleLegend: String? = nil

        struct Item {
            var title: String
            var detail: String
            var links: [(String, String)]
        }
    }

    /// The ticket's QR code in a confirmation: the image (inline, by Content-ID) and its link.
    struct Ticket {
        var alt: String
        var url: String
        var linkLabel: String
        var image: MailMessage.InlineImage
    }

    /// An address as a message may show it: its host (with the port), and the address without its
    /// user, query or fragment (a query often carries a token), "?…" standing for a query.
    static func redacted(_ url: String) -> (host: String, shown: String) {
        guard let parts = URLComponents(string: url), let host = parts.host, let scheme = parts.scheme else { return (url, url) }
        let server = parts.port.map { "\(host):\($0)" } ?? host
        let query = (parts.query?.isEmpty == false) ? "?…" : ""
        return (server, "\(scheme)://\(server)\(parts.path)\(query)")
    }

    /// French sets a narrow no-break space before a colon.
    static func colon(_ language: Language) -> String { language == .fr ? "\u{202F}:" : ":" }

    /// Where replies to a chapter's mail go: its Reply-To setting, or its organisers.
    func replyTo(_ chapter: Chapter.ID) async throws -> [MailMessage.Address] {
        try await persistence.audience.replyAddresses(of: chapter).map { MailMessage.Address(email: $0) }
    }
}
