import RendezvousDomain

extension AppServices {
    /// An evening changed: its page and the pages of the other evenings of its series (the first
    /// evening and its second evenings name each other's open dates, "Also on …") are rendered anew.
    func seriesChanged(_ event: Event.ID, chapterSlug: String) async throws {
        eventChanged(event, chapterSlug: chapterSlug)
        for other in try await persistence.events.seriesIDs(of: event) { eventChanged(other, chapterSlug: chapterSlug) }
    }
}
