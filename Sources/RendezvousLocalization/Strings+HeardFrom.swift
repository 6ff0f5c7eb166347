import RendezvousDomain

extension Strings {
    /// A "How did you hear about us?" answer, as the form and the insights name it.
    public static func heardFrom(_ source: HeardFrom, _ language: Language) -> String {
        switch source {
        case .linkedin: text("heardFrom.linkedin", language)
        case .friendOrColleague: text("heardFrom.friendOrColleague", language)
        case .chapterMail: text("heardFrom.chapterMail", language)
        case .search: text("heardFrom.search", language)
        case .eventListing: text("heardFrom.eventListing", language)
        case .other: text("heardFrom.other", language)
        }
    }
}
