import Foundation
import RendezvousDomain
@testable import RendezvousMail
import RendezvousPersistence
@testable import RendezvousWeb

extension MessageComposePage {
    static func mockMessagePage(path: String, heading: String, notice: String? = nil, errors: [String: String] = [:], preview: MessagePreview? = nil,
                                audience: Bool) -> MessageComposePage {
        MessageComposePage(
            chrome: .organizer(audience ? "Audience" : "Message", path: path), backURL: OrganizeRoute.dashboard(slug: Mock.slug).path, backLabel: Mock.chapter.name,
            heading: heading, intro: "Write to the people who follow the chapter and/or who came to its past meetups.",
            stats: audience ? ["42 followers", "Followers: 42 addresses", "Past attendees: 118 addresses", "Followers and past attendees: 140 addresses"] : [],
            notice: notice, error: errors.isEmpty ? nil : "Please correct the fields marked below.", action: path, csrf: Mock.csrf,
            fields: [FormField(name: "subject", label: "Subject", value: "Doors open at 18:30 <not 19:00>", required: true, error: errors["subject"], maxLength: 150, autocomplete: "off")],
            textareas: [TextAreaField(id: "f-body", name: "body", label: "Message", value: "Hello & welcome.\n\nSee you there.", hint: "The greeting is added for each recipient.",
                                      error: errors["body"], maxLength: 5000)],
            selects: [SelectField(id: "f-audience", name: "audience", label: "To", options: [
                .init(value: "followers", label: "Followers (42)", selected: true), .init(value: "both", label: "Followers and past attendees (140)", selected: false),
            ])],
            scheduleFields: audience ? [
                FormField(name: "sendDate", label: "Date", value: "2027-01-10", type: "date", required: false, error: errors["sendDate"], maxLength: 10, autocomplete: "off"),
                FormField(name: "sendTime", label: "Time (Europe/Paris)", value: "09:00", type: "time", required: false, error: errors["sendTime"], maxLength: 5, autocomplete: "off"),
            ] : [],
            scheduleLegend: audience ? "Send later (optional, then “Schedule”)" : nil,
            buttons: [.init(name: "step", value: "preview", label: "Preview", primary: false), .init(name: "step", value: "test", label: "Send me a test", primary: false),
                      .init(name: "step", value: "send", label: "Send now", primary: true)],
            preview: preview, rowsHeading: audience ? "Messages to the audience" : nil,
            rows: audience ? [
                .init(subject: "January meetup <open>", audience: "Followers", when: "10 Jan 2027 09:00", status: "Scheduled", statusClass: "waitlisted",
                      editURL: OrganizeRoute.audienceMessage(slug: Mock.slug, message: Mock.messageID).path,
                      cancelURL: OrganizeRoute.cancelAudienceMessage(slug: Mock.slug, message: Mock.messageID).path),
                .init(subject: "Thanks for coming", audience: "Past attendees", when: "2 Dec 2026 10:00", status: "Sent (118)", statusClass: "confirmed", editURL: nil, cancelURL: nil),
            ] : [], hasRows: audience, cancelLabel: "Cancel it")
    }

    static let mockPreview = MessagePreview(Letter(
        fromName: "Rendezvous Toulouse", replyTo: ["karim@example.org", "marie@example.org"], toName: "Karim Benali", toEmail: "karim@example.org",
        subject: "Doors open at 18:30 <not 19:00>", greeting: "Hello Karim,", paragraphs: ["Hello & welcome.", "See you there.", "— Marie Dupont, Rendezvous Toulouse"],
        facts: [.init(label: "When", value: "Saturday 16 January 2027, 18:30 – 21:00 (Europe/Paris)")],
        links: [.init(label: "Your private link (status, changes, cancel, ticket)", value: "https://rendezvous.example.org/events/x")],
        footer: "Rendezvous Toulouse, on Rendezvous. You receive this because of your registration.",
        unsubscribe: .init(label: "Stop reminders, news and follow-up mails for this meetup", value: "https://rendezvous.example.org/events/x"), language: .en),
        language: .en, note: "38 recipients: as each will read it (greeted by name, in their language).")

    static let mockEventMessage = mockMessagePage(path: OrganizeRoute.message(Mock.event).path, heading: "Message · Rencontre trimestrielle",
                                                  notice: "Message queued for 38 people.", audience: false)
    static let mockEventPreview = mockMessagePage(path: OrganizeRoute.message(Mock.event).path, heading: "Message · Rencontre trimestrielle",
                                                  preview: mockPreview, audience: false)
    static let mockAudience = mockMessagePage(path: OrganizeRoute.audience(slug: Mock.slug).path, heading: "Audience · Rendezvous Toulouse",
                                              notice: "A test went to marie@example.org only, marked “[Test]” in its subject.", audience: true)
    static let mockAudienceErrors = mockMessagePage(path: OrganizeRoute.audience(slug: Mock.slug).path, heading: "Audience · Rendezvous Toulouse",
                                                    errors: ["sendTime": "This date has passed."], audience: true)
}

extension Mock {
    static let messageID = UUID(uuidString: "3C4D5E6F-7A8B-4C9D-8E0F-1A2B3C4D5E6F")!
    static let member = AudienceMember(id: UUID(uuidString: "4D5E6F7A-8B9C-4D0E-9F1A-2B3C4D5E6F7A")!, chapterID: Mock.chapter.id,
                                       email: "follower@example.org", language: .en, status: .pending)
}

extension SimpleFormPage {
    static let mockFollow = SimpleFormPage.follow(Mock.chapter, language: .en)
    static let mockFollowErrors = SimpleFormPage.follow(Mock.chapter, language: .en, email: "not <an> address", error: "Enter a valid email address.")
    static let mockFollowSent = SimpleFormPage.followRequested(Mock.chapter, language: .en)
    static let mockFollowConfirm = SimpleFormPage.confirmFollow(Mock.chapter, member: Mock.member, token: Mock.token, language: .en, done: false)
    static let mockAudienceUnsubscribe = SimpleFormPage.audienceUnsubscribe(Mock.chapter, member: Mock.member, token: Mock.token, language: .en, done: false)
}
