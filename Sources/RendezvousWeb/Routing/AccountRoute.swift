import Foundation

/// Signing in and out, passwords, and the invitations that create accounts.
enum AccountRoute: Route {
    case signIn
    case signOut
    /// Changing one's own password, signed in.
    case password
    case forgotPassword
    case resetPassword(token: String)
    case invitation(token: String)

    var pattern: String {
        switch self {
        case .signIn: "/signin"
        case .signOut: "/signout"
        case .password: "/account/password"
        case .forgotPassword: "/password/forgot"
        case .resetPassword: "/password/reset/:token"
        case .invitation: "/invitations/:token"
        }
    }

    var parameters: [String] {
        switch self {
        case .signIn, .signOut, .password, .forgotPassword: []
        case .resetPassword(let token), .invitation(let token): [token]
        }
    }

    static var examples: [AccountRoute] {
        [.signIn, .signOut, .password, .forgotPassword, .resetPassword(token: "cmVzZXQ-_x"), .invitation(token: "aW52aXRl-_y")]
    }
}
