import ArgumentParser
import Foundation
import VaultWatchCore

/// `vaultwatch sample-alerts`: one sample of each alert kind, marked as a sample, like a
/// cloud console's "sample alerts" button. For checking a pipeline end to end.
struct SampleAlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample-alerts",
        abstract: "Print one sample alert of each kind as JSON lines (each marked \"sample\": true)."
    )

    @OptionGroup var languageOption: LanguageOption

    func run() throws {
        let language = languageOption.language(environment: ProcessInfo.processInfo.environment)
        var output: [UInt8] = []
        for alert in SampleAlerts.all(language: language) {
            AlertJSON.appendLine(for: alert, to: &output)
        }
        StandardStreams.output(output)
    }
}
