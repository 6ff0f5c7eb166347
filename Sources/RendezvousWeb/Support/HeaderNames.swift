import HTTPTypes

extension HTTPField.Name {
    static let secFetchSite = Self("Sec-Fetch-Site")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xManageToken = Self("X-Manage-Token")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xRobotsTag = Self("X-Robots-Tag")!
    static let xCSRFToken = Self("X-CSRF-Token")!
    static let clearSiteData = Self("Clear-Site-Data")!
}
