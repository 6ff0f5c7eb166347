import RendezvousDomain

/// Labels for values stored or computed elsewhere. Each names every key it can answer with, so the
/// key tests see them all; a value with no label is shown as it is.
extension Strings {
    public static func status(_ status: RegistrationStatus, _ language: Language) -> String {
        switch status {
        case .confirmed: text("status.confirmed", language)
        case .waitlisted: text("status.waitlisted", language)
        case .offered: text("status.offered", language)
        case .cancelled: text("status.cancelled", language)
        case .expired: text("status.expired", language)
        }
    }

    public static func eventStatus(_ status: EventStatus, _ language: Language) -> String {
        switch status {
        case .draft: text("eventStatus.draft", language)
        case .published: text("eventStatus.published", language)
        case .cancelled: text("eventStatus.cancelled", language)
        }
    }

    /// How a registration came in (`registrations.source`).
    public static func source(_ source: RegistrationSource, _ language: Language) -> String {
        switch source {
        case .online: text("source.online", language)
        case .organizer: text("source.organizer", language)
        case .import: text("source.import", language)
        case .door: text("source.door", language)
        }
    }

    /// An outbox message's state (`outbox.status`).
    public static func outboxStatus(_ status: OutboxStatus, _ language: Language) -> String {
        switch status {
        case .pending: text("outbox.pending", language)
        case .sent: text("outbox.sent", language)
        case .failed: text("outbox.failed", language)
        case .skipped: text("outbox.skipped", language)
        }
    }

    /// A column of an attendee import, named by its `CSV.Column` or by the validated field it fills.
    public static func importColumn(_ name: String, _ language: Language) -> String {
        switch name {
        case "firstName": text("import.column.firstName", language)
        case "lastName": text("import.column.lastName", language)
        case "fullName": text("import.column.fullName", language)
        case "email": text("import.column.email", language)
        case "jobTitle": text("import.column.jobTitle", language)
        case "company": text("import.column.company", language)
        case "linkedin": text("import.column.linkedin", language)
        case "linkedinUrl": text("import.column.linkedinUrl", language)
        case "askMeAbout": text("import.column.askMeAbout", language)
        case "status": text("import.column.status", language)
        default: name
        }
    }

    /// What an audit log entry records (`audit_log.action`), as a phrase after the person's name.
    public static func auditAction(_ action: String, _ language: Language) -> String {
        switch action {
        case "attendee.added": text("audit.attendee.added", language)
        case "bingo.generated": text("audit.bingo.generated", language)
        case "attendee.cancelled": text("audit.attendee.cancelled", language)
        case "attendee.promoted": text("audit.attendee.promoted", language)
        case "attendees.exported": text("audit.attendees.exported", language)
        case "attendees.viewed": text("audit.attendees.viewed", language)
        case "privacy.anonymised": text("audit.privacy.anonymised", language)
        case "privacy.retention": text("audit.privacy.retention", language)
        case "privacy.blocked": text("audit.privacy.blocked", language)
        case "privacy.unblocked": text("audit.privacy.unblocked", language)
        case "privacy.exported": text("audit.privacy.exported", language)
        case "privacy.erased": text("audit.privacy.erased", language)
        case "privacy.conduct": text("audit.privacy.conduct", language)
        case "incident.handled": text("audit.incident.handled", language)
        case "incident.reopened": text("audit.incident.reopened", language)
        case "attendees.imported": text("audit.attendees.imported", language)
        case "badges.printed": text("audit.badges.printed", language)
        case "room.setup": text("audit.room.setup", language)
        case "room.planned": text("audit.room.planned", language)
        case "quiz.started": text("audit.quiz.started", language)
        case "door.window": text("audit.door.window", language)
        case "attendance.corrected": text("audit.attendance.corrected", language)
        case "question.added": text("audit.question.added", language)
        case "question.removed": text("audit.question.removed", language)
        case "chapter.approved": text("audit.chapter.approved", language)
        case "chapter.handover": text("audit.chapter.handover", language)
        case "chapter.settings": text("audit.chapter.settings", language)
        case "chapter.branding": text("audit.chapter.branding", language)
        case "event.images": text("audit.event.images", language)
        case "event.resources": text("audit.event.resources", language)
        case "event.followUpSent": text("audit.event.followUpSent", language)
        case "event.cancelled": text("audit.event.cancelled", language)
        case "event.capacity": text("audit.event.capacity", language)
        case "event.created": text("audit.event.created", language)
        case "webhook.created": text("audit.webhook.created", language)
        case "webhook.deleted": text("audit.webhook.deleted", language)
        case "webhook.rotated": text("audit.webhook.rotated", language)
        case "webhook.enabled": text("audit.webhook.enabled", language)
        case "webhook.disabled": text("audit.webhook.disabled", language)
        case "webhook.pinged": text("audit.webhook.pinged", language)
        case "webhook.redelivered": text("audit.webhook.redelivered", language)
        case "event.duplicated": text("audit.event.duplicated", language)
        case "event.overflow": text("audit.event.overflow", language)
        case "event.overbooking": text("audit.event.overbooking", language)
        case "event.attendanceCheck": text("audit.event.attendanceCheck", language)
        case "event.edited": text("audit.event.edited", language)
        case "event.published": text("audit.event.published", language)
        case "event.unpublished": text("audit.event.unpublished", language)
        case "message.sent": text("audit.message.sent", language)
        case "audience.sent": text("audit.audience.sent", language)
        case "audience.scheduled": text("audit.audience.scheduled", language)
        case "audience.rescheduled": text("audit.audience.rescheduled", language)
        case "audience.cancelled": text("audit.audience.cancelled", language)
        case "outbox.retried": text("audit.outbox.retried", language)
        case "quiz.copied": text("audit.quiz.copied", language)
        case "quiz.created": text("audit.quiz.created", language)
        case "quiz.deleted": text("audit.quiz.deleted", language)
        case "quiz.exported": text("audit.quiz.exported", language)
        case "series.created": text("audit.series.created", language)
        case "team.invited": text("audit.team.invited", language)
        case "team.joined": text("audit.team.joined", language)
        case "team.removed": text("audit.team.removed", language)
        case "team.revoked": text("audit.team.revoked", language)
        case "team.resent": text("audit.team.resent", language)
        case "venue.added": text("audit.venue.added", language)
        case "venue.edited": text("audit.venue.edited", language)
        case "venue.removed": text("audit.venue.removed", language)
        default: action
        }
    }

    /// The relay trouble behind a mail alert (RendezvousMail's `RelayTrouble`); an unknown kind reads as "unavailable".
    public static func mailAlert(_ kind: String, since: String, _ language: Language) -> String {
        let arguments = ["since": since]
        return switch kind {
        case "connection": text("mailAlert.connection", language, arguments)
        case "tls": text("mailAlert.tls", language, arguments)
        case "credentials": text("mailAlert.credentials", language, arguments)
        case "authenticationRequired": text("mailAlert.authenticationRequired", language, arguments)
        case "sender": text("mailAlert.sender", language, arguments)
        case "configuration": text("mailAlert.configuration", language, arguments)
        default: text("mailAlert.unavailable", language, arguments)
        }
    }
}

extension Strings {
    /// "Marie, Karim and Zoé" / "Marie, Karim et Zoé".
    public static func list(_ items: [String], _ language: Language) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return text("list.and", language, ["first": items.dropLast().joined(separator: ", "), "last": last])
    }
}
