import FluentKit

/// Every migration, in order. One file each, in numbered batch folders; each has a `revert`.
/// Portable column types only, so the same list runs on SQLite and PostgreSQL.
enum AllMigrations {
    static let list: [any Migration] = [
        CreateUsers(),
        CreateChapters(),
        CreateChapterOrganizers(),
        CreateAPITokens(),
        CreateVenues(),
        CreateSpeakers(),
        CreateEvents(),
        CreateEventSpeakers(),
        CreateAgendaItems(),
        CreateRegistrations(),
        AddChapterRoles(),
        CreateSessions(),
        CreateInvitations(),
        CreateAuditLog(),
        AddRegistrationOrganizerFields(),
        CreateChapterApplications(),
        AddVenueDirectoryFields(),
        AddContactTokens(),
        AddCheckIn(),
        CreateOutbox(),
        CreatePasswordResets(),
        CreateMailAlerts(),
        ScopeCheckInNonces(),
        HashStoredTokens(),
        AddOutboxClaims(),
        CreateBingo(),
        CreateEventRooms(),
        CreateQuizzes(),
        AddUndoAndDoorWindow(),
        AddChapterAudience(),
        RevocableInvitations(),
        AddImages(),
        CreateRegistrationQuestions(),
        CreateAttendeeAccounts(),
        CreateContacts(),
        AddPrivacyRetention(),
    ]
}
