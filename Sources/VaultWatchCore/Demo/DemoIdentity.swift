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
    /// The offset of the caller's local time from UTC in winter, in minutes; `daylightSaving`
    /// says when an hour is added (`utcOffsetMinutes(onLocalDay:)`).
    public var utcOffsetMinutes: Int
    /// The caller's daylight-saving rule (none for Fabrikam: its weeks are in February).
    public var daylightSaving: DemoDaylightSaving
    /// The local weekdays a person or a working-day job works (0 = Sunday … 6 = Saturday):
    /// Monday to Friday, or Sunday to Thursday where the weekend is Friday and Saturday.
    public var workweek: Set<Int>
    /// The usual network: the office, or for a service its Azure outbound addresses.
    public var usualNetwork: DemoNetwork
    /// A person's home line, used on `homeWeekdays` (0 = Sunday … 6 = Saturday).
    public var homeNetwork: DemoNetwork?
    public var homeWeekdays: [Int]

    public init(
        key: String, displayName: String, kind: Kind, utcOffsetMinutes: Int = 0, daylightSaving: DemoDaylightSaving = .none,
        workweek: Set<Int> = [1, 2, 3, 4, 5], usualNetwork: DemoNetwork, homeNetwork: DemoNetwork? = nil, homeWeekdays: [Int] = []
    ) {
        self.key = key
        self.displayName = displayName
        self.kind = kind
        self.objectID = DemoGUID.named("principal/\(key)")
        self.utcOffsetMinutes = utcOffsetMinutes
        self.daylightSaving = daylightSaving
        self.workweek = workweek
        self.usualNetwork = usualNetwork
        self.homeNetwork = homeNetwork
        self.homeWeekdays = homeWeekdays
    }

    /// The offset from UTC on local day `dayNumber` (days since 1970), summer time included.
    public func utcOffsetMinutes(onLocalDay dayNumber: Int) -> Int {
        utcOffsetMinutes + daylightSaving.extraMinutes(onDay: dayNumber)
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
