import Foundation
import RendezvousDomain
import RendezvousLocalization

/// Page links under a long table (attendees, the audit log, the admin tables): previous, next and
/// the page numbers around the current one, each link keeping the page's search, filter and sort.
/// Nil when everything fits on one page.
struct Pager {
    struct Link {
        var label: String
        var url: String
        var current: Bool
        /// Page numbers are skipped after this one ("…").
        var gapAfter: Bool
    }
    static let pageSize = 100

    var label: String
    var summary: String
    var previousURL: String?
    var nextURL: String?
    var previousLabel: String
    var nextLabel: String
    var links: [Link]

    /// The page to show from `?page=`, between 1 and the last.
    static func page(_ requested: String?, total: Int, pageSize: Int = pageSize) -> Int {
        let last = max(1, (total + pageSize - 1) / pageSize)
        return min(max(1, requested.flatMap { Int($0) } ?? 1), last)
    }

    /// The rows of `page` among `items`.
    static func slice<T>(_ items: [T], page: Int, pageSize: Int = pageSize) -> ArraySlice<T> {
        let start = min(items.count, (page - 1) * pageSize)
        return items[start..<min(items.count, start + pageSize)]
    }

    init?(total: Int, page: Int, pageSize: Int = Pager.pageSize, path: String, keeping query: [(String, String)], language: Language) {
        let last = (total + pageSize - 1) / pageSize
        guard last > 1 else { return nil }
        func url(_ number: Int) -> String {
            let items = query.filter { !$0.1.isEmpty } + (number > 1 ? [("page", String(number))] : [])
            guard !items.isEmpty else { return path }
            return path + "?" + items.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        }
        let first = (page - 1) * pageSize + 1
        label = Strings.text("pager.label", language)
        summary = Strings.text("pager.summary", language, ["from": String(first), "to": String(min(total, page * pageSize)), "total": String(total)])
        previousLabel = Strings.text("pager.previous", language)
        nextLabel = Strings.text("pager.next", language)
        previousURL = page > 1 ? url(page - 1) : nil
        nextURL = page < last ? url(page + 1) : nil
        let shown = Set([1, last] + Array(max(1, page - 2)...min(last, page + 2))).sorted()
        links = shown.enumerated().map { index, number in
            Link(label: String(number), url: url(number), current: number == page,
                 gapAfter: index + 1 < shown.count && shown[index + 1] - number > 1)
        }
    }

    /// Query values as a form would send them (a space as %20, never a bare "+").
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
