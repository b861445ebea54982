import ArgumentParser
import Foundation
import VaultWatchCore

/// `vaultwatch demo generate --out DIR`: writes the demo tenant's audit logs as a tree of
/// hourly storage blobs, deterministically (one seed, byte-identical output), and tells on
/// stderr what it wrote.
struct DemoGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write the demo tenant's audit logs (a directory of hourly PT1H.json blobs).",
        discussion: """
            The tenant has DAYS ordinary days of history, then an attack day that stages every alert \
            kind (demo-data/README.md tells the stories). With --no-attacks the last day is an ordinary \
            day: detection over it should raise nothing. --habits gives four weeks of history (28 days): \
            the precision check, every habit recurring through it (deploys reading every secret, CI, a \
            weekly renewal, dynamic home addresses, a nightly backup, an admin's portal round, Sydney \
            time, SDK challenges). Read the result with `vaultwatch detect DIR`.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Directory to write: new, empty, or holding a demo tenant to replace with --force.", valueName: "dir"))
    var out: String

    @Option(name: .long, help: "Seed: the same seed gives byte-identical logs.")
    var seed: UInt64 = DemoTenant.defaultSeed

    @Option(name: .long, help: "Days of history before the attack day (default 15, with --habits 28, for woodgrove and random 42).")
    var days: Int?

    @Option(name: .long, help: "The tenant: fabrikam (the demo), woodgrove (a second tenant for measuring precision) or random (a tenant drawn from the seed).")
    var tenant: DemoTenantChoice = .fabrikam

    @Flag(name: .long, help: "Four weeks of history: the habits tenant, for measuring precision.")
    var habits = false

    /// Four weeks: every weekly habit recurs three times after the learning period.
    static let habitHistoryDays = 28

    private var historyDays: Int {
        if let days { return days }
        if tenant == .woodgrove { return DemoTenantChoice.woodgroveHistoryDays }
        if tenant == .random { return DemoScenario.randomHistoryDays }
        return habits ? Self.habitHistoryDays : DemoTenant.defaultHistoryDays
    }

    @Flag(name: .customLong("no-attacks"), help: "Make the attack day an ordinary day (no staged stories).")
    var noAttacks = false

    @Flag(name: .long, help: "Replace a demo tenant already in the output directory.")
    var force = false

    @Option(name: .customLong("expected-alerts"), help: ArgumentHelp("Also write the expected alerts (JSON) to this file.", valueName: "file"))
    var expectedAlertsPath: String?

    func validate() throws {
        guard historyDays >= 1, historyDays <= 366 else { throw ValidationError("--days must be between 1 and 366, not \(historyDays)") }
    }

    func run() throws {
        try prepareOutputDirectory()
        let tenant = DemoTenant(seed: seed, days: historyDays, includesAttackDay: !noAttacks, scenario: self.tenant.scenario(seed: seed, historyDays: historyDays))
        let summary: DemoWriteSummary
        do {
            summary = try tenant.write(to: out)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        if let expectedAlertsPath {
            do {
                try DemoExpectedAlert.json(tenant.expectedAlerts).write(toFile: expectedAlertsPath, atomically: true, encoding: .utf8)
            } catch {
                throw CommandFailure(message: "cannot write \(expectedAlertsPath): \(error.localizedDescription)")
            }
        }
        let megabytes = Double(summary.bytes) / 1_048_576
        StandardStreams.error(
            "vaultwatch: wrote \(summary.records) records in \(summary.files) blobs (\(String(format: "%.1f", megabytes)) MB) to \(out)")
        StandardStreams.error(
            "vaultwatch: \(tenant.scenario.organization): \(summary.days) days from \(summary.firstDay), seed \(seed); attack day \(summary.attackDay)"
                + (noAttacks ? " generated as an ordinary day (--no-attacks)" : " with \(tenant.scenario.stories.count) staged stories"))
        if let expectedAlertsPath {
            StandardStreams.error("vaultwatch: expected alerts written to \(expectedAlertsPath)")
        }
    }

    /// The generated tree is `DIR/resourceId=…`. A directory holding anything else is refused
    /// (never deleted: `--out ~ --force` must not empty a home directory); a previous tenant is
    /// replaced only with `--force`, and only its `resourceId=` tree is removed.
    private func prepareOutputDirectory() throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: out, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw CommandFailure(message: "\(out) exists and is not a directory") }
        let contents: [String]
        do {
            contents = try files.contentsOfDirectory(atPath: out)
        } catch {
            throw CommandFailure(message: "cannot read \(out): \(error.localizedDescription)")
        }
        let tenantEntries = contents.filter { $0 == Self.treeRoot || $0 == Self.cacheMarker }
        if tenantEntries.count < contents.count {
            throw CommandFailure(message: "\(out) is not empty and holds more than a demo tenant; choose a new or empty directory")
        }
        guard contents.contains(Self.treeRoot) else { return }
        guard force else { throw CommandFailure(message: "\(out) already holds a demo tenant; add --force to replace it") }
        do {
            try files.removeItem(atPath: out + "/" + Self.treeRoot)
        } catch {
            throw CommandFailure(message: "cannot remove the previous tenant in \(out): \(error.localizedDescription)")
        }
    }

    /// The top of the blob tree Azure's storage export writes.
    static let treeRoot = "resourceId="
    /// The marker `vaultwatch demo` leaves beside a tenant it generated.
    static let cacheMarker = ".vaultwatch-demo"
}
