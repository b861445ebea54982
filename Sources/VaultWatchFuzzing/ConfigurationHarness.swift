import VaultWatchCore
import VaultWatchTUI

/// The `--config` file as `detect`, `watch` and `demo` read it: the detector's settings over the
/// defaults, then the `[keys]` section into the dashboard's key map.
///
/// Any input is accepted or rejected with a `ConfigurationError` naming the file and, when it
/// gives one, a line inside the text.
enum ConfigurationHarness {
    static let fileName = "fuzz.toml"

    static func run(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        let text = String(decoding: input, as: UTF8.self)
        let lineCount = FuzzOutcome.lineCount(input)
        var outcome = FuzzOutcome()
        func rejected(_ error: ConfigurationError) {
            outcome.requireLocated(error.description, name: fileName, line: error.line, lineCount: lineCount)
        }
        do throws(ConfigurationError) {
            let configuration = try ConfigurationFile.parse(text, file: fileName, over: DetectorConfiguration())
            outcome.require(
                configuration.learningDays <= configuration.baselineRetentionDays,
                "accepted learning_days \(configuration.learningDays) beyond window_days \(configuration.baselineRetentionDays)")
        } catch {
            rejected(error)
        }
        do throws(ConfigurationError) {
            _ = try KeyMap(overrides: try ConfigurationFile.parseKeyOverrides(text, file: fileName))
        } catch {
            rejected(error)
        }
        return outcome
    }
}
