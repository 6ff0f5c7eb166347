import Hummingbird

/// Every organiser route, feature by feature. The router registers this list and the
/// chapter-isolation test walks it, so a new feature's routes are covered by adding its
/// controller here, and nowhere else.
enum OrganizeRoutes {
    static func all(_ services: AppServices) -> [OrganizeEndpoint] {
        let controllers: [any OrganizeController] = [
            EventsController(services: services),
            DemandController(services: services),
            AttendeesController(services: services),
            CSVController(services: services),
            SeriesController(services: services),
            TeamController(services: services),
            SettingsController(services: services),
            MessagesController(services: services),
            AudienceController(services: services),
            BadgesController(services: services),
            BingoController(services: services),
            RoomController(services: services),
            QuizLibraryController(services: services),
            GameController(services: services),
            BrandingController(services: services),
            EventImagesController(services: services),
            QuestionsController(services: services),
            FollowUpController(services: services),
            IncidentsController(services: services),
            InsightsController(services: services),
            WebhooksController(services: services),
        ]
        return controllers.flatMap(\.routes)
    }

    /// Registers every organiser route on `group` (signed in, CSRF-checked).
    static func add(to group: RouterGroup<AppRequestContext>, services: AppServices) {
        for route in all(services) { group.on(route.route.routerPath, method: route.method, use: route.handler) }
    }
}
