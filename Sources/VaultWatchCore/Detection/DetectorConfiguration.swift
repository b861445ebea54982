/// How a `Detector` is set up. Every value has a working default (DESIGN.md §6: defaults
/// work with no configuration); a missing list simply leaves its rule silent.
public struct DetectorConfiguration: Sendable {
    /// Tor exit addresses (`--tor-exits`); nil leaves `KV_TORAccess` silent.
    public var torExits: ThreatIntelList?
    /// Threat-intel addresses and blocks (`--threat-intel`); nil leaves `KV_SuspiciousIPAccess*` silent.
    public var threatIntel: ThreatIntelList?
    /// The language of alert words; the caller picks it from `--lang` or `LANG`.
    public var language: Language
    /// Repeats of (kind, vault, entity) within this much event time after the first fold into one alert.
    public var aggregationWindow: EventTime.Duration
    /// How many events an alert keeps as evidence.
    public var evidenceLimit: Int
    /// Days of history a vault needs before its behavioural rules arm (for the baseline rules).
    public var learningDays: Int
    /// Days after which an unseen entity is forgotten by the baselines.
    public var baselineRetentionDays: Int
    /// Applications whose calls never count as behaviour: first-party indexers (Azure Resource
    /// Graph, Policy Insights) by default. Lowercase GUIDs, as events carry them.
    public var ignoredApplicationIDs: Set<String>
    /// Windows and thresholds of the behavioural rules (`learningDays` and
    /// `baselineRetentionDays` above override its learning and window days).
    public var behaviour: BehaviourSettings = BehaviourSettings()
    /// Principals (object ids, lowercase) whose calls never count as behaviour nor raise
    /// behavioural alerts: the configuration's allow-list.
    public var allowedPrincipalIDs: Set<String> = []
    /// Applications allowed like `ignoredApplicationIDs`, from the configuration.
    public var allowedApplicationIDs: Set<String> = []
    /// Networks `KV_UnusualAccessSuspiciousIP` never treats as unfamiliar.
    public var trustedRanges: IPRangeSet = .empty
    /// Alerts matching one of these are not raised (counted in `DetectorCounters.suppressedAlerts`).
    public var suppressions: [Suppression] = []
    /// Which record times are plausible: applied by the `Ingestor` before the detector sees a
    /// record (`Ingestor.Configuration.clock`), so a broken clock never moves the detector's.
    public var clock = ClockLimits()
    /// Display names for object and app ids (the configuration's `directory`, `--directory`),
    /// shown beside the ids; never used by detection.
    public var directory: DirectoryNames = .builtIn
    /// Whether evidence events keep their original record, read again from its file when the
    /// alert is raised or updated (`RecordFinder`): the dashboard and a state file want them;
    /// a stateless `detect` prints the fields it read and skips the cost.
    public var keepsOriginalRecords = false
    /// The finder that reads them when they are kept; nil: one of the detector's own. Give the
    /// same one to the `Ingestor` (`Ingestor.Configuration.lineStarts`), which tells it where
    /// the lines it reads start.
    public var recordFinder: RecordFinder?

    /// Keeps evidence's original records (`keepsOriginalRecords`), read again by one new finder
    /// (`recordFinder`), and returns that finder: the one a command gives its `Ingestor`
    /// (`Ingestor.Configuration.lineStarts`), so that a look-up seeks from where the reader saw
    /// lines start instead of counting lines from the file's first one, and the one its
    /// dashboard opens records with (one set of mapped files and line indexes, not two).
    /// `detect --state`, `watch` and `demo` all keep records this way.
    public mutating func keepOriginalRecords(symbols: SymbolTable) -> RecordFinder {
        let finder = RecordFinder(symbols: symbols)
        keepsOriginalRecords = true
        recordFinder = finder
        return finder
    }
    /// How much of the stream the dashboard's event journal keeps for entity pages (the
    /// configuration's `[journal]`); never used by detection.
    public var journal = JournalLimits()

    /// `behaviour` with the learning and window days of this configuration.
    public var effectiveBehaviour: BehaviourSettings {
        var settings = behaviour
        settings.learningDays = learningDays
        settings.windowDays = baselineRetentionDays
        return settings
    }

    public static let defaultIgnoredApplicationIDs: Set<String> = [
        "509e4652-da8d-478d-a730-e9d4a1996ca4",  // Azure Resource Graph
        "8cae6e77-e04e-42ce-b5cb-50d82bce26b1",  // Policy Insights
    ]

    public init(
        torExits: ThreatIntelList? = nil, threatIntel: ThreatIntelList? = nil, language: Language = .en,
        aggregationWindow: EventTime.Duration = .hours(24), evidenceLimit: Int = 10, learningDays: Int = 7,
        baselineRetentionDays: Int = 30, ignoredApplicationIDs: Set<String> = DetectorConfiguration.defaultIgnoredApplicationIDs
    ) {
        self.torExits = torExits
        self.threatIntel = threatIntel
        self.language = language
        self.aggregationWindow = aggregationWindow
        self.evidenceLimit = evidenceLimit
        self.learningDays = learningDays
        self.baselineRetentionDays = baselineRetentionDays
        self.ignoredApplicationIDs = ignoredApplicationIDs
    }
}
