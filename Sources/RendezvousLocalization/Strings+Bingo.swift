import RendezvousDomain

/// Bingo's words: a square's "Find someone who …", the registration form's first-person facts,
/// the big screen's announcements. Each function names every key it can answer with.
extension Strings {
    /// "Find someone who …" for one square, in `language`.
    public static func bingoSquare(_ square: BingoSquare, _ language: Language) -> String {
        switch square.kind {
        case .jobFamily:
            guard let family = JobFamily(rawValue: square.value) else { return square.value }
            if family == .student { return text("bingo.square.student", language) }
            return text("bingo.square.jobFamily", language, ["family": jobFamily(family, language)])
        case .company: return text("bingo.square.company", language, ["label": square.label.isEmpty ? square.value : square.label])
        case .topic:
            let label = square.label.isEmpty ? square.value : square.label
            // French elides "de" before a vowel or a mute h: "parler d’IA", "d’immobilier".
            return text(startsWithVowelSound(label) ? "bingo.square.topicElided" : "bingo.square.topic", language, ["label": label])
        case .firstMeetup: return text("bingo.square.firstMeetup", language)
        case .regular: return text("bingo.square.regular", language)
        case .fact:
            guard let fact = BingoFact(rawValue: square.value) else { return square.value }
            return bingoFactSquare(fact, language)
        }
    }

    /// A square without its "Find someone who" (said once above the grid): "works at Airbus",
    /// "travaille chez Airbus". Squares that do not start that way stay whole.
    public static func bingoSquareShort(_ square: BingoSquare, _ language: Language) -> String {
        let full = bingoSquare(square, language)
        let prefixes = text("bingo.square.prefixes", language).components(separatedBy: "|")
        for prefix in prefixes where !prefix.isEmpty && full.hasPrefix(prefix) {
            return "…" + full.dropFirst(prefix.count)
        }
        return full
    }

    static func startsWithVowelSound(_ text: String) -> Bool {
        guard let first = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).first else { return false }
        return "aeiouyh".contains(first)
    }

    /// A family of work as a square names it ("engineering", "l'ingénierie").
    public static func jobFamily(_ family: JobFamily, _ language: Language) -> String {
        switch family {
        case .engineering: text("bingo.family.engineering", language)
        case .data: text("bingo.family.data", language)
        case .design: text("bingo.family.design", language)
        case .product: text("bingo.family.product", language)
        case .marketing: text("bingo.family.marketing", language)
        case .sales: text("bingo.family.sales", language)
        case .humanResources: text("bingo.family.humanResources", language)
        case .finance: text("bingo.family.finance", language)
        case .legal: text("bingo.family.legal", language)
        case .consulting: text("bingo.family.consulting", language)
        case .education: text("bingo.family.education", language)
        case .health: text("bingo.family.health", language)
        case .leadership: text("bingo.family.leadership", language)
        case .operations: text("bingo.family.operations", language)
        case .student: text("bingo.family.student", language)
        case .other: text("bingo.family.other", language)
        }
    }

    /// The square: "Find someone who has lived abroad".
    public static func bingoFactSquare(_ fact: BingoFact, _ language: Language) -> String {
        switch fact {
        case .livedAbroad: text("bingo.square.livedAbroad", language)
        case .speaksThreeLanguages: text("bingo.square.speaksThreeLanguages", language)
        case .changedCareer: text("bingo.square.changedCareer", language)
        case .foundedCompany: text("bingo.square.foundedCompany", language)
        case .runsMarathons: text("bingo.square.runsMarathons", language)
        case .playsMusic: text("bingo.square.playsMusic", language)
        case .volunteers: text("bingo.square.volunteers", language)
        case .worksRemotely: text("bingo.square.worksRemotely", language)
        case .hasPet: text("bingo.square.hasPet", language)
        case .cooksWell: text("bingo.square.cooksWell", language)
        case .readsSciFi: text("bingo.square.readsSciFi", language)
        case .travelledFiveContinents: text("bingo.square.travelledFiveContinents", language)
        case .teachesOrMentors: text("bingo.square.teachesOrMentors", language)
        case .podcastOrBlog: text("bingo.square.podcastOrBlog", language)
        case .sportsTeam: text("bingo.square.sportsTeam", language)
        case .firstJobNotInField: text("bingo.square.firstJobNotInField", language)
        }
    }

    /// The registration form's checkbox, in the first person: "I have lived abroad".
    public static func bingoFact(_ fact: BingoFact, _ language: Language) -> String {
        switch fact {
        case .livedAbroad: text("bingo.fact.livedAbroad", language)
        case .speaksThreeLanguages: text("bingo.fact.speaksThreeLanguages", language)
        case .changedCareer: text("bingo.fact.changedCareer", language)
        case .foundedCompany: text("bingo.fact.foundedCompany", language)
        case .runsMarathons: text("bingo.fact.runsMarathons", language)
        case .playsMusic: text("bingo.fact.playsMusic", language)
        case .volunteers: text("bingo.fact.volunteers", language)
        case .worksRemotely: text("bingo.fact.worksRemotely", language)
        case .hasPet: text("bingo.fact.hasPet", language)
        case .cooksWell: text("bingo.fact.cooksWell", language)
        case .readsSciFi: text("bingo.fact.readsSciFi", language)
        case .travelledFiveContinents: text("bingo.fact.travelledFiveContinents", language)
        case .teachesOrMentors: text("bingo.fact.teachesOrMentors", language)
        case .podcastOrBlog: text("bingo.fact.podcastOrBlog", language)
        case .sportsTeam: text("bingo.fact.sportsTeam", language)
        case .firstJobNotInField: text("bingo.fact.firstJobNotInField", language)
        }
    }

    /// The big screen's line: "Marie has a line!" / "Marie filled her card!".
    public static func bingoAnnouncement(_ kind: BingoAnnouncementKind, name: String, _ language: Language) -> String {
        switch kind {
        case .line: text("bingo.announce.line", language, ["name": name])
        case .full: text("bingo.announce.full", language, ["name": name])
        }
    }

    /// Why a tick was refused.
    public static func bingoError(_ error: BingoError, name: String, _ language: Language) -> String {
        switch error {
        case .noCard: text("bingo.error.noCard", language)
        case .holderThemselves: text("bingo.error.holderThemselves", language)
        case .notPlaying: text("bingo.error.notPlaying", language, ["name": name])
        case .doesNotMatch: text("bingo.error.doesNotMatch", language, ["name": name])
        case .alreadyUsed: text("bingo.error.alreadyUsed", language, ["name": name])
        case .squareTaken: text("bingo.error.squareTaken", language)
        }
    }
}
