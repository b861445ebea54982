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

    // The habits of issue 8. Hours are the caller's local time (its `utcOffsetMinutes`), and a
    // local day may spill over a UTC midnight. Every client that starts sends an SDK challenge
    // first (a 401 without identity), as real clients do.

    /// A service that loads its configuration when it starts (a configuration provider): on
    /// local working days, `deploysPerWorkday` deploys at any hour 08–19, each restarting
    /// `replicas` replicas; on `nightlyPercent` of nights a node-pool restart between 00 and 05
    /// restarts one or two. Each replica lists the vault and reads every secret of the routine.
    case configurationLoads(deploysPerWorkday: ClosedRange<Int>, replicas: ClosedRange<Int>, nightlyPercent: Int)
    /// A job on `weekdays` (0 = Sunday), at any hour of `hours`: the routine's operations in
    /// sequence (CI twice a week, a weekly certificate renewal, an admin's weekly portal round).
    case weekly(weekdays: [Int], hours: ClosedRange<Int>)
    /// A job every night, at any time within `hours`: the routine's operations in sequence.
    case nightly(hours: ClosedRange<Int>)
    /// A person at work on local weekdays: `sessions` times a day between 09:00 and 17:00 they
    /// read a few of the routine's secrets.
    case officeHours(sessions: ClosedRange<Int>, readsPerSession: ClosedRange<Int>)
}
