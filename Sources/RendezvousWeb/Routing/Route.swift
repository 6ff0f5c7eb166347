import Hummingbird

/// One address of the site or the API. Each case gives the router's pattern and its own values
/// for the pattern's parameters, so the same table builds the route and the link: renaming a URL
/// is one edit, and a test round-trips every case (`RouteTests`).
///
/// Areas have their own enum (`PublicRoute`, `OrganizeRoute`, …) in their feature folder;
/// `SiteRoute` gathers them.
protocol Route: Equatable, Sendable {
    /// `/organize/:slug/events/:id`: literal segments and `:name` parameters.
    var pattern: String { get }
    /// The values of the pattern's parameters, in order.
    var parameters: [String] { get }
    /// At least one example of every case, for the round-trip test.
    static var examples: [Self] { get }
}

extension Route {
    /// The link: the pattern with this route's values.
    var path: String {
        var values = parameters.makeIterator()
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard segment.hasPrefix(":") else { return String(segment) }
            return Self.escape(values.next() ?? "")
        }
        let path = segments.joined(separator: "/")
        return path.isEmpty ? "/" : path
    }

    /// The router's pattern.
    var routerPath: RouterPath { RouterPath(pattern) }

    /// The parameter values a path holds if it matches this route's pattern, else nil.
    func match(_ path: String) -> [String]? {
        let expected = pattern.split(separator: "/", omittingEmptySubsequences: false)
        let actual = path.split(separator: "/", omittingEmptySubsequences: false)
        guard expected.count == actual.count else { return nil }
        var values: [String] = []
        for (want, got) in zip(expected, actual) {
            if want.hasPrefix(":") {
                guard !got.isEmpty, let value = String(got).removingPercentEncoding else { return nil }
                values.append(value)
            } else if want != got {
                return nil
            }
        }
        return values
    }

    /// A value as one path segment: nothing in it can add a segment or a query, and a value of
    /// `.` or `..` is not read as a step up the path.
    static func escape(_ value: String) -> String {
        if value == "." || value == ".." { return value.replacingOccurrences(of: ".", with: "%2E") }
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

import Foundation
