import Foundation

/// Compares secrets (tokens, CSRF values) in time that does not depend on where they differ.
public func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let left = Array(a.utf8), right = Array(b.utf8)
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
}

/// Text split into paragraphs at blank lines, each trimmed; empty ones dropped.
public func paragraphs(_ text: String) -> [String] {
    text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
}
