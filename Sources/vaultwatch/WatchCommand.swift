import ArgumentParser
import Foundation
import VaultWatchCore
import VaultWatchTUI

/// `vaultwatch watch PATH…`: the dashboard on live files, blob directories or stdin (`-`,
/// keys then come from the terminal), following appends and new blobs (tail -F).
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch live audit logs in the dashboard (files, blob directories, or - for stdin).",
        discussion: """
            Follows files as they grow (tail -F) and directories as blobs appear. By default only \
            what is written from now on is read; --from-start reads what the files already hold \
            first. `some-consumer | vaultwatch watch -` reads records from stdin and keys from the \
            terminal. Without a terminal, use `vaultwatch detect --follow`.
            """
    )

    @Argument(help: ArgumentHelp("Log files, blob directories, or - for stdin.", valueName: "path"))
    var paths: [String]

    @Flag(name: .customLong("from-start"), help: "Read what the files already hold before following them.")
    var fromStart = false

    @OptionGroup var dashboard: DashboardOptions

    @OptionGroup var detection: DetectionOptions

    func run() async throws {
        try DashboardSession.requireTerminal(command: "vaultwatch watch")
        let environment = ProcessInfo.processInfo.environment
        let configuration = try detection.detectorConfiguration(environment: environment)
        let symbols = SymbolTable()
        let ingestor: Ingestor
        do {
            ingestor = try Ingestor(
                paths: paths, symbols: symbols, configuration: Ingestor.Configuration(start: fromStart ? .beginning : .end))
        } catch {
            throw CommandFailure(message: error.description)
        }
        let session = DashboardSession(
            sourceDescription: paths.map { $0 == "-" ? "stdin" : $0 }.joined(separator: ", "), mode: .live,
            ingestor: ingestor, readMode: .follow, detector: Detector(symbols: symbols, configuration: configuration),
            model: DashboardModel(symbols: symbols, learningDays: configuration.learningDays), options: dashboard,
            learningDays: configuration.learningDays)
        try await session.run()
    }
}
