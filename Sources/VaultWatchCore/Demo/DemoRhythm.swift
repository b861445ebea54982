/// When a routine runs. Hours are UTC for services and the caller's own local time for people.
public enum DemoRhythm: Sendable, Hashable {
    /// Calls all day, every day: `perHour` of them each hour, picked from the routine's
    /// operations; in `boostHours` the rate is multiplied by `boostFactor` (a nightly batch).
    case steady(perHour: ClosedRange<Int>, boostHours: Range<Int> = 0..<0, boostFactor: Int = 1)
    /// An app that loads its configuration when it starts: at each restart hour it lists the
    /// secrets and reads the first `readsAtRestart` of them; other hours it refreshes a few.
    case restarts(hours: [Int], readsAtRestart: Int, refreshesPerHour: ClosedRange<Int>)
    /// A build service: on weekdays `buildsPerHour` builds in `weekdayHours`, each reading all
    /// the routine's operations in a burst; every night one scheduled build at `nightlyHour`.
    case builds(weekdayHours: Range<Int>, buildsPerHour: ClosedRange<Int>, nightlyHour: Int)
    /// All the routine's operations in sequence every `everyHours` hours from `firstHour`.
    case periodic(everyHours: Int, firstHour: Int)
    /// A person's working day (local time, Monday to Friday): a morning session that lists and
    /// reads a few secrets, sometimes an afternoon one that reads again. Nothing at weekends.
    case workday(readsPerSession: ClosedRange<Int>, afternoonPercent: Int)
}
