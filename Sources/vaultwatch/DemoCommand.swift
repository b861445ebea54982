import ArgumentParser
import Foundation
import VaultWatchCore
import VaultWatchTUI

/// `vaultwatch demo`: the dashboard on the bundled demo tenant. `demo generate` writes its logs.
///
/// On first use the tenant is generated into `demo-data/generated/`. The history is then read
/// at full speed behind a progress bar while baselines learn, and the attack day plays at
/// `--speed`× event time from just before its first story, so that by default its stories
/// unfold in about two minutes, alerts appearing as they fire. State is kept in memory only:
/// every run starts afresh.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Watch the demo tenant's attack day unfold in the dashboard (or generate its logs).",
        discussion: """
            Without a subcommand: generates demo-data/generated/ if needed, learns from its history, \
            then replays the attack day. Keys: ? help, Enter open an alert, q back / quit, Space pause, \
            +/- speed.
            """,
        subcommands: [DemoGenerateCommand.self]
    )

    @Option(help: ArgumentHelp("Replay speed, event seconds per second (default: the attack day's stories in about two minutes).", valueName: "n"))
    var speed: Double?

    @OptionGroup var dashboard: DashboardOptions

    @OptionGroup var detection: DetectionOptions

    func validate() throws {
        if let speed, !(speed > 0) { throw ValidationError("--speed must be above 0, not \(speed)") }
    }

    func run() async throws {
        try DashboardSession.requireTerminal(command: "vaultwatch demo")
        let environment = ProcessInfo.processInfo.environment
        let demoData = Self.demoDataDirectory()
        let generated = demoData.appendingPathComponent("generated").path
        let tenant = DemoTenant()
        try Self.generateIfNeeded(tenant, into: generated)

        var configuration = try detection.detectorConfiguration(environment: environment)
        let keyMap = try detection.keyMap()
        do {
            // The demo's attackers come from these lists; an explicit option wins.
            let torList = demoData.appendingPathComponent("tor-exit-addresses.txt").path
            let threatList = demoData.appendingPathComponent("threat-intel.txt").path
            if detection.torExitsPath == nil, FileManager.default.fileExists(atPath: torList) {
                configuration.torExits = try ThreatIntelList.loadTorExitList(path: torList)
            }
            if detection.threatIntelPath == nil, FileManager.default.fileExists(atPath: threatList) {
                configuration.threatIntel = try ThreatIntelList.loadThreatIntel(path: threatList)
            }
        } catch {
            throw CommandFailure(message: error.description)
        }

        // Play the attack day's stories at replay speed; the history before them at full speed.
        let playback = tenant.attackDayPlayback
        let playbackStart = playback.lowerBound
        let span = Double(playback.upperBound.ticks - playbackStart.ticks) / Double(EventTime.ticksPerSecond)
        let replaySpeed = speed ?? max(60, (span / 110).rounded())

        let symbols = SymbolTable()
        // Evidence keeps its record (the analyst's `y`); the ingestor tells the finder where the
        // lines it reads start (no scan from line 1).
        let records = configuration.keepOriginalRecords(symbols: symbols)
        let ingestor: Ingestor
        do {
            var reading = Ingestor.Configuration(start: .beginning, clock: configuration.clock)
            reading.lineStarts = records
            // The dashboard's thread draws at the process's priority, ingestion below it.
            reading.runsAtLowerPriority = true
            // The demo keeps its state in memory: nobody asks where to resume.
            reading.keepsPositions = false
            ingestor = try Ingestor(paths: [generated], symbols: symbols, configuration: reading)
        } catch {
            throw CommandFailure(message: error.description)
        }
        let control = ReplayControl(speed: replaySpeed)
        var session = DashboardSession(
            sourceDescription: "demo: Fabrikam, attack day \(tenant.attackDate)", mode: .replay, ingestor: ingestor,
            readMode: .readToEnd, detector: Detector(symbols: symbols, configuration: configuration),
            model: DashboardModel(symbols: symbols, learningDays: configuration.learningDays, journalLimits: configuration.journal),
            pacer: ReplayPacer(playbackStart: playbackStart, control: control),
            loading: LoadingProgress(label: "Reading the demo tenant's history…"), historyStart: tenant.dayStart(0),
            options: dashboard, learningDays: configuration.learningDays, keyMap: keyMap, names: configuration.directory)
        session.records = records
        try await session.run()
    }

    /// `demo-data/` of the checkout: under the current directory, else beside the package the
    /// executable was built in; the current directory's when neither exists.
    static func demoDataDirectory() -> URL {
        let files = FileManager.default
        let current = URL(fileURLWithPath: files.currentDirectoryPath).appendingPathComponent("demo-data")
        if files.fileExists(atPath: current.path) { return current }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("demo-data")
            if files.fileExists(atPath: candidate.appendingPathComponent("README.md").path) { return candidate }
            url.deleteLastPathComponent()
        }
        return current
    }

    /// Writes the tenant unless a complete copy of the same tenant is already there (a marker
    /// file written last names its seed and days).
    static func generateIfNeeded(_ tenant: DemoTenant, into directory: String) throws {
        let marker = directory + "/.vaultwatch-demo"
        let expected = "seed=\(tenant.seed) days=\(tenant.historyDays) attack=\(tenant.attackDate) generator=\(DemoTenant.generatorVersion)\n"
        if let existing = FileManager.default.contents(atPath: marker), String(decoding: existing, as: UTF8.self) == expected {
            return
        }
        StandardStreams.error("vaultwatch: generating the demo tenant into \(directory) (first run only)…")
        do {
            try tenant.write(to: directory)
            try Data(expected.utf8).write(to: URL(fileURLWithPath: marker))
        } catch {
            throw CommandFailure(message: "cannot generate the demo tenant: \(error)")
        }
    }
}
