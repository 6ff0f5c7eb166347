import Foundation

/// Comparison keys for what people type: "Airbus", "AIRBUS " and "airbus" are one company, and
/// "Société Générale" is "societe generale".
public enum Folding {
    public static func key(_ text: String) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        var out = ""
        var pendingSpace = false
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingSpace = true
            }
        }
        return out
    }

    /// A company key that ignores legal forms: "Airbus SAS" and "Airbus" are colleagues.
    public static func companyKey(_ company: String) -> String {
        let legalForms: Set<String> = ["sa", "sas", "sasu", "sarl", "eurl", "gmbh", "ag", "inc", "ltd", "llc", "plc", "bv", "nv", "srl", "spa", "co", "corp", "group", "groupe"]
        let words = key(company).split(separator: " ").map(String.init)
        let kept = words.count > 1 ? words.filter { !legalForms.contains($0) } : words
        return kept.joined(separator: " ")
    }

    /// Whether two company keys name one employer: the same key, or one is the other followed by
    /// more words ("huawei" and "huawei france", "thales" and "thales alenia space"). A generic
    /// first word alone ("groupe", "societe") never makes colleagues.
    public static func sameCompany(_ a: String, _ b: String) -> Bool {
        guard !a.isEmpty, !b.isEmpty else { return false }
        if a == b { return true }
        let (short, long) = a.count <= b.count ? (a, b) : (b, a)
        guard short.count >= 3, long.hasPrefix(short + " "), !genericCompanyWords.contains(short) else { return false }
        return true
    }

    static let genericCompanyWords: Set<String> = [
        "groupe", "group", "societe", "cabinet", "agence", "agency", "studio", "ville", "mairie", "universite", "university",
        "ecole", "school", "institut", "institute", "association", "les", "the", "banque", "bank", "credit", "consulting", "conseil",
        "independant", "independante", "freelance", "self", "auto", "entrepreneur", "france", "international",
    ]

    /// Topics from an "ask me about" line: split on commas, "and", "et", slashes; folded, deduplicated.
    public static func topics(_ askMeAbout: String) -> [String] {
        var seen = Set<String>()
        var result: [String] = []
        let separators = CharacterSet(charactersIn: ",;/|·•\n")
        for part in askMeAbout.components(separatedBy: separators) {
            for piece in part.components(separatedBy: " and ").flatMap({ $0.components(separatedBy: " et ") }) {
                let topic = key(piece)
                if topic.count >= 2, seen.insert(topic).inserted { result.append(topic) }
            }
        }
        return result
    }
}

/// A small, fast, seedable generator (SplitMix64): the planner and the bingo cards are
/// reproducible from a seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound, bound > 0.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
