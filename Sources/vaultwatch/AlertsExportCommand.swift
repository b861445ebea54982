import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultWatchCore
import VaultWatchStore

/// `vaultwatch alerts export`: every stored alert, as JSON lines exactly as `detect` prints them
/// (`AlertJSON`, `DefenderAlertJSON` or `OCSFDetectionFindingJSON`, with the stored status), or as CSV.
/// Says on stderr how many alerts it wrote and where.
struct AlertsExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Export stored alerts as JSON lines (alert JSON, Defender, OCSF) or CSV.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case jsonl
        case csv
        case defender
        case ocsf
    }

    @Option(help: ArgumentHelp(
        "jsonl (alert JSON, one per line, as detect prints), csv, defender (Defender for Cloud alerts) or ocsf (OCSF Detection Findings).",
        valueName: "format"))
    var format: Format = .jsonl

    @Option(name: .customLong("output"), help: ArgumentHelp(
        "Write to this file (created 0600) instead of stdout.", valueName: "file"))
    var outputPath: String?

    @OptionGroup var state: StateFileOption

    @OptionGroup var configurationFile: ConfigurationOption

    @OptionGroup var directory: DirectoryOption

    func run() throws {
        // Names from the configuration's `directory`, then `--directory` over them.
        let names = try directory.names(over: configurationFile.load().directory)
        let store = try state.open(.readOnly)
        let alerts: [Alert]
        do {
            alerts = try store.alerts()
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        var bytes: [UInt8] = []
        switch format {
        case .jsonl:
            for alert in alerts { AlertFormat.jsonl.appendLine(for: alert, to: &bytes) }
        case .defender:
            for alert in alerts { AlertFormat.defender.appendLine(for: alert, names: names, to: &bytes) }
        case .ocsf:
            for alert in alerts { AlertFormat.ocsf.appendLine(for: alert, names: names, to: &bytes) }
        case .csv:
            bytes = Array(AlertCSV.document(for: alerts).utf8)
        }
        let destination: String
        if let outputPath {
            try Self.write(bytes, to: outputPath)
            destination = outputPath
        } else {
            StandardStreams.output(bytes)
            destination = "stdout"
        }
        StandardStreams.error(
            "vaultwatch: exported \(alerts.count) \(alerts.count == 1 ? "alert" : "alerts") from \(store.displayName) to \(destination) (\(format.rawValue))")
    }

    /// Writes the file with owner-only permissions: alerts name principals and IP addresses.
    private static func write(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CommandFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                buffer.baseAddress.map { Glibc.write(descriptor, $0 + offset, buffer.count - offset) } ?? 0
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw CommandFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        if fsync(descriptor) != 0 {
            throw CommandFailure(message: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
