import Foundation
import RendezvousDomain
import RendezvousLocalization
import RendezvousPersistence

/// How the organiser's attendee table is ordered: by name (last name, then first name), company,
/// status or registration time, either way. Chosen by links in the column headers (`?sort=&dir=`),
/// so it works without JavaScript and survives paging and searching.
struct AttendeeSort {
    enum Field: String, CaseIterable { case name, company, status, registered }

    var field: Field
    var descending: Bool

    init(_ field: String, descending: Bool) {
        self.field = Field(rawValue: field) ?? .name
        self.descending = descending
    }

    /// The query that keeps this order (nothing for the default, by name A to Z).
    var query: [(String, String)] {
        (field == .name ? [] : [("sort", field.rawValue)]) + (descending ? [("dir", "desc")] : [])
    }

    /// A column header: its label, the link that sorts by it (the other way when it is the current
    /// order), and its `aria-sort`.
    struct Column { var key: String; var label: String; var url: String; var ariaSort: String; var hasArrow: Bool; var arrow: String }

    func columns(path: String, keeping: [(String, String)], language: Language) -> [Column] {
        func t(_ key: String) -> String { Strings.text(key, language) }
        func column(_ sortField: Field, _ label: String) -> Column {
            let current = sortField == field
            let next = AttendeeSort(sortField.rawValue, descending: current ? !descending : false)
            let items = (keeping + next.query).filter { !$0.1.isEmpty }
            let url = items.isEmpty ? path : path + "?" + items.map { Pager.encode($0.0) + "=" + Pager.encode($0.1) }.joined(separator: "&")
            return Column(key: sortField.rawValue, label: label, url: url,
                          ariaSort: current ? (descending ? "descending" : "ascending") : "none",
                          hasArrow: current, arrow: descending ? "↓" : "↑")
        }
        return [column(.name, t("org.columnName")), column(.company, t("org.columnCompany")), column(.status, t("manage.status")),
                column(.registered, t("org.columnRegistered"))]
    }

    /// The records in this order; ties keep the order of registration.
    func sorted(_ records: [AttendeeRecord], language: Language) -> [AttendeeRecord] {
        let locale = Locale(identifier: language == .fr ? "fr_FR" : "en_GB")
        func compare(_ a: String, _ b: String) -> ComparisonResult {
            // Empty values last whichever way the table is read.
            if a.isEmpty != b.isEmpty { return a.isEmpty ? (descending ? .orderedAscending : .orderedDescending) : (descending ? .orderedDescending : .orderedAscending) }
            return a.compare(b, options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: locale)
        }
        let statusOrder: [RegistrationStatus: Int] = Dictionary(uniqueKeysWithValues: RegistrationStatus.allCases.enumerated().map { ($1, $0) })
        func order(_ a: AttendeeRecord, _ b: AttendeeRecord) -> ComparisonResult {
            let p = a.registration.profile, q = b.registration.profile
            switch field {
            case .name:
                let byLast = compare(p.lastName, q.lastName)
                return byLast != .orderedSame ? byLast : compare(p.firstName, q.firstName)
            case .company:
                let byCompany = compare(p.company, q.company)
                if byCompany != .orderedSame { return byCompany }
                let byLast = compare(p.lastName, q.lastName)
                return byLast != .orderedSame ? byLast : compare(p.firstName, q.firstName)
            case .status:
                let x = statusOrder[a.registration.status] ?? 0, y = statusOrder[b.registration.status] ?? 0
                if x != y { return x < y ? .orderedAscending : .orderedDescending }
                // The waitlist in its order.
                let u = a.waitlistPosition ?? 0, v = b.waitlistPosition ?? 0
                return u == v ? .orderedSame : (u < v ? .orderedAscending : .orderedDescending)
            case .registered:
                let x = a.registration.createdAt, y = b.registration.createdAt
                return x == y ? .orderedSame : (x < y ? .orderedAscending : .orderedDescending)
            }
        }
        return records.enumerated().sorted { left, right in
            let result = order(left.element, right.element)
            if result == .orderedSame { return left.offset < right.offset }
            return descending ? result == .orderedDescending : result == .orderedAscending
        }.map(\.element)
    }
}
