import Foundation

/// Why one field was refused. The web layer turns it into a sentence in the user's language.
public enum ValidationProblem: Sendable, Equatable {
    case required
    case tooLong(max: Int)
    case tooShort(min: Int)
    case controlCharacters
    case invalidEmail
    case invalidLinkedInURL
    case invalidTimeZone
    case invalidCountryCode
    case invalidSlug
    case invalidLocale
    case invalidDate
    case endsBeforeStart
    /// A date that has already passed, where one to come is needed.
    case inThePast
    case outOfRange(min: Int, max: Int)
    case alreadyTaken
    /// Not in the expected shape; `example` shows it ("5:4, 9:4").
    case format(example: String)
    /// One line of a list is not a web address (http or https): which line, counted from 1.
    case notALink(line: Int)
    /// Not one of the options offered.
    case notAChoice
    /// A box that must be ticked to go on (the code of conduct) was not.
    case notAccepted
}

public struct ValidationErrors: Error, Sendable, Equatable {
    /// Field name (as in the API) to problem, in a stable order.
    public var problems: [(field: String, problem: ValidationProblem)]

    public init(_ problems: [(field: String, problem: ValidationProblem)] = []) {
        self.problems = problems
    }

    public var isEmpty: Bool { problems.isEmpty }

    public mutating func add(_ field: String, _ problem: ValidationProblem) {
        problems.append((field, problem))
    }

    public subscript(field: String) -> ValidationProblem? {
        problems.first { $0.field == field }?.problem
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.problems.map(\.field) == rhs.problems.map(\.field)
            && lhs.problems.map(\.problem) == rhs.problems.map(\.problem)
    }
}

public enum TextRules {
    /// Trims, folds Unicode to NFC, and refuses control and bidirectional-override characters.
    /// Returns nil with a problem, or the clean text.
    public static func clean(
        _ raw: String?, field: String, required: Bool, maxLength: Int, multiline: Bool = false,
        into errors: inout ValidationErrors
    ) -> String {
        let text = (raw ?? "").precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty {
            if required { errors.add(field, .required) }
            return ""
        }
        if containsForbiddenCharacters(text, allowNewlines: multiline) {
            errors.add(field, .controlCharacters)
            return text
        }
        if text.count > maxLength {
            errors.add(field, .tooLong(max: maxLength))
        }
        return text
    }

    public static func containsForbiddenCharacters(_ text: String, allowNewlines: Bool) -> Bool {
        for scalar in text.unicodeScalars {
            switch scalar.value {
            // A `where` clause binds to one pattern only, so each newline gets its own case.
            case 0x0A where allowNewlines: continue
            case 0x0D where allowNewlines: continue
            case 0x09 where allowNewlines: continue
            case 0x00...0x1F, 0x7F...0x9F: return true
            // Bidirectional overrides and isolates can reorder what surrounds a name.
            case 0x202A...0x202E, 0x2066...0x2069: return true
            // Line and paragraph separators, BOM and other invisible format breakers.
            case 0x2028, 0x2029, 0xFEFF: return true
            default: continue
            }
        }
        return false
    }
}

public enum EmailAddress {
    public static let maxLength = 254

    /// Lower-cases and trims; the local part is kept as typed apart from case,
    /// which is what every mail provider in practice honours.
    public static func normalize(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }

    /// Addresses a real mail server would accept: a dot-atom local part
    /// (RFC 5322 without quoted strings) and a domain of at least two labels.
    public static func isValid(_ email: String) -> Bool {
        guard email.utf8.count <= maxLength,
              let at = email.lastIndex(of: "@") else { return false }
        let local = email[..<at]
        let domain = email[email.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty else { return false }
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-")
        let localAtoms = local.split(separator: ".", omittingEmptySubsequences: false)
        for atom in localAtoms {
            if atom.isEmpty { return false }
            for character in atom where !(atext.contains(character) || !character.isASCII) { return false }
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63, label.first != "-", label.last != "-" else { return false }
            for character in label where !(character.isLetter || character.isNumber || character == "-") {
                return false
            }
        }
        // The top-level domain is never all digits.
        if labels.last!.allSatisfy(\.isNumber) { return false }
        return true
    }
}

public enum LinkedInURL {
    /// Accepts linkedin.com profile or company pages over https (or a bare "linkedin.com/in/..."),
    /// and returns the canonical https form.
    public static func canonical(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.lowercased().hasPrefix("http://") && !text.lowercased().hasPrefix("https://") {
            text = "https://" + text
        }
        guard let components = URLComponents(string: text),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = components.host?.lowercased(),
              host == "linkedin.com" || host.hasSuffix(".linkedin.com"),
              components.user == nil, components.password == nil, components.port == nil
        else { return nil }
        let parts = components.path.split(separator: "/")
        guard parts.count >= 2, ["in", "pub", "company"].contains(parts[0].lowercased()) else { return nil }
        let handle = parts[1]
        guard !handle.isEmpty, handle.count <= 100,
              handle.unicodeScalars.allSatisfy({ CharacterSet.urlPathAllowed.contains($0) && $0 != "/" })
        else { return nil }
        return "https://www.linkedin.com/\(parts[0].lowercased())/\(handle)"
    }
}

/// Raw registration fields, as typed into the form or sent to the API.
public struct RegistrationInput: Sendable, Codable, Equatable {
    public var firstName: String?
    public var lastName: String?
    public var email: String?
    public var jobTitle: String?
    public var company: String?
    public var linkedinUrl: String?
    public var askMeAbout: String?
    public var consents: Consents?
    /// Bingo facts shared for the evening's games (unknown values are refused when decoding).
    public var bingoFacts: [BingoFact]?
    /// Opted in to the evening's games.
    public var gamesConsent: Bool?
    /// "Any date works for me": moved directly to a second evening opened from the waitlist.
    public var anyDate: Bool?
    /// Ticked "I accept the code of conduct": required by the registration form and the API (not
    /// by the manage page's edits, nor organisers adding someone).
    public var acceptCodeOfConduct: Bool?
    /// "How did you hear about us?": one of `HeardFrom`'s codes, or empty/absent (optional).
    /// An unknown code is an error on this field, not a decoding failure.
    public var heardFrom: String?

    public init(
        firstName: String? = nil, lastName: String? = nil, email: String? = nil, jobTitle: String? = nil,
        company: String? = nil, linkedinUrl: String? = nil, askMeAbout: String? = nil, consents: Consents? = nil,
        bingoFacts: [BingoFact]? = nil, gamesConsent: Bool? = nil
    ) {
        self.bingoFacts = bingoFacts
        self.gamesConsent = gamesConsent
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.jobTitle = jobTitle
        self.company = company
        self.linkedinUrl = linkedinUrl
        self.askMeAbout = askMeAbout
        self.consents = consents
    }

    public enum Limits {
        public static let name = 80
        public static let jobTitle = 100
        public static let company = 100
        public static let askMeAbout = 140
        public static let linkedin = 200
    }

    /// Checks every field. Organisers adding or importing people may leave the last name and
    /// job title empty (`strict: false`); people registering themselves give both.
    public func validated(strict: Bool = true) -> Result<AttendeeProfile, ValidationErrors> {
        var errors = ValidationErrors()
        let first = TextRules.clean(firstName, field: "firstName", required: true, maxLength: Limits.name, into: &errors)
        let last = TextRules.clean(lastName, field: "lastName", required: strict, maxLength: Limits.name, into: &errors)
        let mail = TextRules.clean(email, field: "email", required: true, maxLength: EmailAddress.maxLength, into: &errors)
        if !mail.isEmpty, errors["email"] == nil, !EmailAddress.isValid(mail) {
            errors.add("email", .invalidEmail)
        }
        let job = TextRules.clean(jobTitle, field: "jobTitle", required: strict, maxLength: Limits.jobTitle, into: &errors)
        let org = TextRules.clean(company, field: "company", required: false, maxLength: Limits.company, into: &errors)
        var linkedin = TextRules.clean(linkedinUrl, field: "linkedinUrl", required: false, maxLength: Limits.linkedin, into: &errors)
        if !linkedin.isEmpty, errors["linkedinUrl"] == nil {
            if let canonical = LinkedInURL.canonical(linkedin) {
                linkedin = canonical
            } else {
                errors.add("linkedinUrl", .invalidLinkedInURL)
            }
        }
        let ask = TextRules.clean(askMeAbout, field: "askMeAbout", required: false, maxLength: Limits.askMeAbout, into: &errors)
        let heard = HeardFrom.parse(heardFrom, field: "heardFrom", into: &errors)
        guard errors.isEmpty else { return .failure(errors) }
        var profile = AttendeeProfile(
            firstName: first, lastName: last, email: mail, jobTitle: job, company: org,
            linkedinURL: linkedin, askMeAbout: ask, consents: consents ?? Consents()
        )
        profile.bingoFacts = Set(bingoFacts ?? [])
        profile.gamesConsent = gamesConsent ?? false
        profile.anyDate = anyDate ?? false
        profile.heardFrom = heard
        return .success(profile)
    }
}
