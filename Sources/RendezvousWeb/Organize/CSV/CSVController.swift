import Foundation
import Hummingbird
import NIOCore
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// The attendee list as a CSV file, and attendees imported from one.
struct CSVController: OrganizeController {
    let services: AppServices

    var routes: [OrganizeEndpoint] {
        [
            .get(.exportCSV(.any), exportCSV),
            .get(.importCSV(.any), importForm),
            .post(.importCSV(.any), importCSV),
        ]
    }

    @Sendable func exportCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let f = DisplayFormatter(language: context.language, timeZone: detail.chapter.zone, region: detail.chapter.countryCode)
        let records = try await persistence.registrations.attendees(of: detail.event.id)
        var rows = [[t("form.firstName", context), t("form.lastName", context), t("form.email", context), t("form.jobTitle", context),
                     t("form.company", context), t("form.linkedin", context), t("form.askMeAbout", context), t("manage.status", context),
                     t("org.position", context), t("org.registeredAt", context), t("org.source", context), t("org.note", context)]]
        // The organisers' questions, one column each, after the fixed ones.
        let questions = try await persistence.questions.questions(forEvent: detail.event.id)
        let answers = questions.isEmpty ? [:] : try await persistence.questions.answers(ofEvent: detail.event.id)
        rows[0] += questions.map(\.label)
        for record in records {
            let r = record.registration, p = r.profile
            let given = answers[r.id] ?? [:]
            rows.append([p.firstName, p.lastName, p.email, p.jobTitle, p.company, p.linkedinURL, p.askMeAbout,
                         statusLabel(r.status, context), record.waitlistPosition.map { String($0) } ?? "",
                         "\(EventForm.localDay(r.createdAt, detail.chapter.zone)) \(f.time(r.createdAt))", Strings.source(record.source, context.language), record.note]
                        + questions.map { question in
                            given[question.id].map { question.kind == .yesNo ? t($0 == "yes" ? "form.yes" : "form.no", context) : $0 } ?? ""
                        })
        }
        try await log(context, chapter: detail.chapter.id, "attendees.exported", detail.event.title)
        return DownloadName.csv(CSV.write(rows), name: [detail.chapter.slug, EventForm.localDay(detail.event.startsAt, detail.chapter.zone), detail.event.title])
    }

    func importPage(_ detail: EventDetail, context: AppRequestContext, csv: String = "", imported: Int? = nil,
                    rejected: [ImportPage.Rejected] = [], error: String? = nil) throws -> ImportPage {
        ImportPage(chrome: try chrome(t("org.importCSV", context), context, path: OrganizeRoute.importCSV(detail.event.id).path),
                   csrf: try session(context).csrfToken, title: detail.event.title, eventURL: OrganizeRoute.event(detail.event.id).path,
                   action: OrganizeRoute.importCSV(detail.event.id).path, csv: csv, imported: imported, rejected: rejected, error: error)
    }

    @Sendable func importForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        html(try importPage(try await event(context), context: context), context)
    }

    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let detail = try await event(context)
        let text = try await self.form(request, context).text("csv")
        let rows: [[String]]
        do {
            rows = try CSV.parse(text, maxRows: 5000)
        } catch CSV.ParseError.unterminatedQuote(let line) {
            return html(try importPage(detail, context: context, csv: text, error: t("import.unterminated", context, ["line": String(line)])), context, status: .unprocessableContent)
        } catch {
            return html(try importPage(detail, context: context, csv: text, error: t("import.tooLarge", context)), context, status: .unprocessableContent)
        }
        let read = AttendeeImport.read(rows)
        guard read.missingColumns.isEmpty else {
            let names = read.missingColumns.map { Strings.importColumn($0.rawValue, context.language) }.joined(separator: ", ")
            return html(try importPage(detail, context: context, csv: text, error: t("import.missingColumns", context, ["columns": names])), context, status: .unprocessableContent)
        }
        var rejected = read.rejected.map { ImportPage.Rejected(line: $0.line, reason: t("import.notAttending", context) + " (\($0.reason))") }
        var imported = 0
        for row in read.rows {
            switch row.input.validated(strict: false) {
            case .failure(let errors):
                let reasons = errors.problems.map { "\(Strings.importColumn($0.field, context.language)): \(Strings.message(for: $0.problem, context.language))" }
                rejected.append(.init(line: row.line, reason: reasons.joined(separator: "; ")))
            case .success(let profile):
                do {
                    _ = try await persistence.registrations.registerByOrganizer(profile, for: detail.event.id, source: .import, now: now())
                    imported += 1
                } catch RegistrationActionError.duplicateEmail {
                    rejected.append(.init(line: row.line, reason: t("import.duplicate", context, ["email": profile.email])))
                } catch RegistrationActionError.eventNotOpen {
                    rejected.append(.init(line: row.line, reason: t("error.eventClosed", context)))
                } catch RegistrationActionError.refused {
                    rejected.append(.init(line: row.line, reason: t("error.registrationRefused", context)))
                }
            }
        }
        rejected.sort { $0.line < $1.line }
        try await log(context, chapter: detail.chapter.id, "attendees.imported", "\(detail.event.title): \(imported) / \(rows.count - 1)")
        services.eventChanged(detail.event.id, chapterSlug: detail.chapter.slug)
        return html(try importPage(detail, context: context, imported: imported, rejected: rejected), context)
    }
}
