import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// What a message says, before it becomes MIME: the organisers' preview shows these very pieces,
/// and the mail is built from them, so the preview is the message.
public struct Letter: Sendable {
    public var fromName: String
    public var replyTo: [String]
    public var toName: String
    public var toEmail: String
    public var subject: String
    public var greeting: String
    public var paragraphs: [String]
    public var facts: [Fact]
    /// The venue's map link, under the facts (a long address never widens the message).
    public var map: Fact? = nil
    public var links: [Fact]
    public var footer: String
    /// The label and address of the unsubscribe link, for messages people may opt out of.
    public var unsubscribe: Fact?
    public var language: Language

    public struct Fact: Sendable {
        public var label: String
        public var value: String
    }
}

extension MessageComposer {
    func message(_ letter: Letter, item: OutboxItem?, now: Date, unsubscribeURL: String?) -> MailMessage {
        let (text, html) = Self.bodies(greeting: letter.greeting, paragraphs: letter.paragraphs, facts: letter.facts.map { ($0.label, $0.value) },
                                       map: letter.map.map { ($0.label, $0.value) }, links: letter.links.map { ($0.label, $0.value) }, footer: letter.footer,
                                       unsubscribe: letter.unsubscribe.map { ($0.label, $0.value) }, language: letter.language)
        return MailMessage(from: .init(name: letter.fromName, email: from.email), to: .init(name: letter.toName, email: letter.toEmail),
                           replyTo: letter.replyTo.map { .init(email: $0) }, subject: letter.subject, text: text, html: html,
                           messageID: item.map(messageID) ?? "preview-\(UUID().uuidString.lowercased())@\(host)", date: now,
                           unsubscribeURL: unsubscribeURL, language: letter.language.rawValue)
    }

    /// Paragraphs of what an organiser wrote; a browser sends a text area's line breaks as CRLF.
    static func paragraphs(_ text: String) -> [String] {
        RendezvousDomain.paragraphs(text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n"))
    }

    static func testSubject(_ subject: String, _ language: Language) -> String {
        Strings.text("mail.testSubject", language, ["subject": subject])
    }

    // MARK: An organiser's message to an event's attendees

    /// The message an event's registrant gets from the organisers. For the preview and the test
    /// sent to an organiser, the private links are the event's public page instead.
    public func eventLetter(_ detail: EventDetail, language: Language, firstName: String, lastName: String, email: String,
                            subject: String, body: String, author: String, manageURL: String?, unsubscribeURL: String?, test: Bool) async throws -> Letter {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let f = DisplayFormatter(language: language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        let event = detail.event
        let eventURL = "\(baseURL)/events/\(event.id)"
        var facts = [Letter.Fact(label: t("event.when"), value: "\(f.longDate(event.startsAt)), \(f.time(event.startsAt)) – \(f.time(event.endsAt)) (\(detail.chapter.zone.identifier))")]
        if let venue = detail.venue {
            facts.append(.init(label: t("event.where"), value: [venue.name, venue.address].filter { !$0.isEmpty }.joined(separator: ", ")))
        }
        var paragraphs = Self.paragraphs(body)
        if !author.isEmpty { paragraphs.append("— \(author), \(detail.chapter.name)") }
        return Letter(fromName: detail.chapter.name, replyTo: try await persistence.audience.replyAddresses(of: detail.chapter.id),
                      toName: "\(firstName) \(lastName)".trimmingCharacters(in: .whitespaces), toEmail: email,
                      subject: test ? Self.testSubject(subject, language) : subject, greeting: t("mail.greeting", ["name": firstName]),
                      paragraphs: paragraphs, facts: facts, map: detail.venue.map { .init(label: t("event.map"), value: $0.mapURL) }, links: [.init(label: t("mail.manageLink"), value: manageURL ?? eventURL)],
                      footer: t("mail.footer", ["chapter": detail.chapter.name]),
                      unsubscribe: .init(label: t("mail.unsubscribe"), value: unsubscribeURL ?? eventURL), language: language)
    }

    // MARK: The chapter's audience

    /// An organiser's message to the chapter's audience (followers, past attendees).
    public func audienceLetter(_ chapter: Chapter, language: Language, email: String, subject: String, body: String, author: String,
                               unsubscribeURL: String?, test: Bool) async throws -> Letter {
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        var paragraphs = Self.paragraphs(body)
        if !author.isEmpty { paragraphs.append("— \(author), \(chapter.name)") }
        return Letter(fromName: chapter.name, replyTo: try await persistence.audience.replyAddresses(of: chapter.id), toName: "", toEmail: email,
                      subject: test ? Self.testSubject(subject, language) : subject, greeting: t("mail.hello"), paragraphs: paragraphs, facts: [],
                      links: [.init(label: t("mail.chapterLink", ["chapter": chapter.name]), value: "\(baseURL)/chapters/\(chapter.slug)")],
                      footer: t("mail.audienceFooter", ["chapter": chapter.name]),
                      unsubscribe: .init(label: t("mail.audienceUnsubscribe", ["chapter": chapter.name]), value: unsubscribeURL ?? "\(baseURL)/chapters/\(chapter.slug)"),
                      language: language)
    }

    /// A test of an organiser's message, to the organiser alone, marked as a test in its subject.
    func testMessage(_ item: OutboxItem, now: Date) async throws -> Outcome {
        guard !item.recipient.isEmpty else { return .skip("no recipient") }
        let language = item.payload["language"].flatMap(Language.init(rawValue:)) ?? .en
        let subject = item.payload["subject"] ?? "", body = item.payload["body"] ?? "", author = item.payload["from"] ?? ""
        let letter: Letter
        if item.kind == .broadcast {
            guard let event = item.eventID, let detail = try await persistence.events.eventDetail(id: event) else { return .skip("event gone") }
            letter = try await eventLetter(detail, language: language, firstName: item.payload["name"] ?? "", lastName: "", email: item.recipient,
                                           subject: subject, body: body, author: author, manageURL: nil, unsubscribeURL: nil, test: true)
        } else {
            guard let id = item.chapterID, let chapter = try await persistence.chapters.chapter(id: id) else { return .skip("chapter gone") }
            letter = try await audienceLetter(chapter, language: language, email: item.recipient, subject: subject, body: body, author: author,
                                              unsubscribeURL: nil, test: true)
        }
        return .message(message(letter, item: item, now: now, unsubscribeURL: nil))
    }

    /// Follow confirmations, new meetups' announcements, and organisers' messages to the audience.
    func audienceMessage(_ item: OutboxItem, now: Date) async throws -> Outcome {
        guard let memberID = item.payload["member"].flatMap(UUID.init(uuidString:)),
              let member = try await persistence.audience.member(id: memberID) else { return .skip("address gone") }
        guard let chapter = try await persistence.chapters.chapter(id: member.chapterID) else { return .skip("chapter gone") }
        let language = item.kind == .followConfirm ? item.payload["language"].flatMap(Language.init(rawValue:)) ?? member.language ?? chapter.locale
            : member.language ?? chapter.locale
        func t(_ key: String, _ arguments: [String: String] = [:]) -> String { Strings.text(key, language, arguments) }
        let unsubscribeURL = try await persistence.audience.unsubscribeToken(of: member.id).map { "\(baseURL)/audience/unsubscribe/\($0)" }
        switch item.kind {
        case .followConfirm:
            guard member.status != .following, let token = try await persistence.audience.followToken(of: member.id) else { return .skip("already following") }
            let letter = Letter(fromName: chapter.name, replyTo: try await persistence.audience.replyAddresses(of: chapter.id), toName: "", toEmail: member.email,
                                subject: t("mail.follow.subject", ["chapter": chapter.name]), greeting: t("mail.hello"),
                                paragraphs: [t("mail.follow.body", ["chapter": chapter.name])], facts: [],
                                links: [.init(label: t("mail.follow.confirm", ["chapter": chapter.name]), value: "\(baseURL)/follow/\(token)")],
                                footer: t("mail.followFooter", ["chapter": chapter.name]), unsubscribe: nil, language: language)
            return .message(message(letter, item: item, now: now, unsubscribeURL: nil))
        case .announcement:
            guard member.status == .following else { return .skip("no longer following") }
            guard let eventID = item.eventID, let detail = try await persistence.events.eventDetail(id: eventID) else { return .skip("event gone") }
            guard detail.event.status == .published, detail.event.startsAt > now else { return .skip("event no longer open") }
            let f = DisplayFormatter(language: language, timeZone: chapter.zone, region: chapter.countryCode)
            let event = detail.event
            var facts = [Letter.Fact(label: t("event.when"), value: "\(f.longDate(event.startsAt)), \(f.time(event.startsAt)) – \(f.time(event.endsAt)) (\(chapter.zone.identifier))")]
            if let venue = detail.venue {
                facts.append(.init(label: t("event.where"), value: [venue.name, venue.address].filter { !$0.isEmpty }.joined(separator: ", ")))
            }
            let letter = Letter(fromName: chapter.name, replyTo: try await persistence.audience.replyAddresses(of: chapter.id), toName: "", toEmail: member.email,
                                subject: t("mail.announcement.subject", ["event": event.title]), greeting: t("mail.hello"),
                                paragraphs: [t("mail.announcement.body", ["chapter": chapter.name, "event": event.title])] + Self.paragraphs(event.description).prefix(2),
                                facts: facts, map: detail.venue.map { .init(label: t("event.map"), value: $0.mapURL) },
                                links: [.init(label: t("mail.announcement.register"), value: "\(baseURL)/events/\(event.id)")],
                                footer: t("mail.audienceFooter", ["chapter": chapter.name]),
                                unsubscribe: unsubscribeURL.map { .init(label: t("mail.audienceUnsubscribe", ["chapter": chapter.name]), value: $0) }, language: language)
            return .message(message(letter, item: item, now: now, unsubscribeURL: unsubscribeURL))
        case .audienceMessage:
            guard member.status != .unsubscribed else { return .skip("unsubscribed") }
            let letter = try await audienceLetter(chapter, language: language, email: member.email, subject: item.payload["subject"] ?? "",
                                                  body: item.payload["body"] ?? "", author: item.payload["from"] ?? "", unsubscribeURL: unsubscribeURL, test: false)
            return .message(message(letter, item: item, now: now, unsubscribeURL: unsubscribeURL))
        default:
            return .skip("not an audience message")
        }
    }
}
