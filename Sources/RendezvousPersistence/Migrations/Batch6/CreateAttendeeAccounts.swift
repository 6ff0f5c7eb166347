import FluentKit
import SQLKit

/// "My Rendezvous": an attendee's space without a password. One profile per address (what
/// pre-fills the next registration, and what they share with people they accept); the sign-in
/// links mailed to the address (only a hash is kept; 15 minutes, once); the attendee sessions
/// (a cookie's hash, with its CSRF token), separate from organisers' sessions.
struct CreateAttendeeAccounts: AsyncMigration {
    var name: String { "034_create_attendee_accounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("attendee_profiles")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("first_name", .string, .required)
            .field("last_name", .string, .required)
            .field("job_title", .string, .required)
            .field("company", .string, .required)
            .field("linkedin_url", .string, .required)
            .field("ask_me_about", .string, .required)
            .field("share_email", .bool, .required, .sql(.default(false)))
            .field("share_linkedin", .bool, .required, .sql(.default(false)))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "email")
            .create()
        try await database.schema("attendee_sign_in_links")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("token_hash", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
        try await database.schema("attendee_sessions")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("token_hash", .string, .required)
            .field("csrf_token", .string, .required)
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_hash")
            .create()
        let sql = database as! any SQLDatabase
        try await sql.create(index: "attendee_sign_in_links_email").on("attendee_sign_in_links").column("email").column("created_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("attendee_sessions").delete()
        try await database.schema("attendee_sign_in_links").delete()
        try await database.schema("attendee_profiles").delete()
    }
}
