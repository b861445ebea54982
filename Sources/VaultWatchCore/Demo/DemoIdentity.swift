/// A principal of the demo tenant: a person (with a UPN, working hours and a time zone) or a
/// service principal (an app registration or a managed identity, on a schedule).
public struct DemoIdentity: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case user(upn: String)
        /// `managedIdentityResource` is the Azure resource a managed identity belongs to
        /// (`xms_mirid`); nil for an app registration with a client secret or certificate.
        case servicePrincipal(managedIdentityResource: String?)
    }

    /// The short name the scenario uses (`camille`).
    public var key: String
    public var displayName: String
    public var kind: Kind
    /// The principal's object id (`oid`), derived from its key.
    public var objectID: String
    /// The offset of the caller's local time from UTC, in minutes (fixed: the demo's weeks
    /// are in February, far from any daylight-saving change).
    public var utcOffsetMinutes: Int
    /// The usual network: the office, or for a service its Azure outbound addresses.
    public var usualNetwork: DemoNetwork
    /// A person's home line, used on `homeWeekdays` (0 = Sunday … 6 = Saturday).
    public var homeNetwork: DemoNetwork?
    public var homeWeekdays: [Int]

    public init(
        key: String, displayName: String, kind: Kind, utcOffsetMinutes: Int = 0, usualNetwork: DemoNetwork,
        homeNetwork: DemoNetwork? = nil, homeWeekdays: [Int] = []
    ) {
        self.key = key
        self.displayName = displayName
        self.kind = kind
        self.objectID = DemoGUID.named("principal/\(key)")
        self.utcOffsetMinutes = utcOffsetMinutes
        self.usualNetwork = usualNetwork
        self.homeNetwork = homeNetwork
        self.homeWeekdays = homeWeekdays
    }

    public var upn: String? {
        if case .user(let upn) = kind { return upn }
        return nil
    }

    /// The network used on a given weekday: home on home days, else the usual one; a dynamic
    /// line resolved for the day (`dayNumber`: days since 1970).
    public func network(onWeekday weekday: Int, dayNumber: Int = 0) -> DemoNetwork {
        if let homeNetwork, homeWeekdays.contains(weekday) { return homeNetwork.resolved(onDay: dayNumber) }
        return usualNetwork.resolved(onDay: dayNumber)
    }
}
