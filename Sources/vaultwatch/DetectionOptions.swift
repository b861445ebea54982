import ArgumentParser
import VaultWatchCore

/// Options shared by the commands that run detection.
struct DetectionOptions: ParsableArguments {
    @Option(name: .customLong("tor-exits"), help: ArgumentHelp("A Tor exit list: TorDNSEL exit-addresses, or one IP per line.", valueName: "file"))
    var torExitsPath: String?

    @Option(name: .customLong("threat-intel"), help: ArgumentHelp("Suspicious IPs and CIDR ranges, one per line, # comments.", valueName: "file"))
    var threatIntelPath: String?

    @OptionGroup var configurationFile: ConfigurationOption

    /// `--config FILE`.
    var configPath: String? { configurationFile.path }

    @Option(name: .customLong("learning-days"), help: ArgumentHelp("Days of history a vault needs before its behavioural rules arm (default 7; overrides the config file).", valueName: "n"))
    var learningDays: Int?

    @OptionGroup var language: LanguageOption

    @OptionGroup var directory: DirectoryOption

    func validate() throws {
        if let learningDays, !(0...365).contains(learningDays) {
            throw ValidationError("--learning-days must be between 0 and 365, not \(learningDays)")
        }
    }

    /// The detector's configuration: the config file over the defaults, then the lists named
    /// and `--learning-days`.
    /// - Throws: `CommandFailure` naming the file, line and problem of a bad list or config line.
    func detectorConfiguration(environment: [String: String]) throws -> DetectorConfiguration {
        var configuration = try configurationFile.load(over: DetectorConfiguration(language: language.language(environment: environment)))
        if let learningDays {
            guard learningDays <= configuration.baselineRetentionDays else {
                throw CommandFailure(
                    message: "--learning-days (\(learningDays)) cannot exceed the baseline window (\(configuration.baselineRetentionDays) days)")
            }
            configuration.learningDays = learningDays
        }
        configuration.directory = try directory.names(over: configuration.directory)
        do {
            if let torExitsPath { configuration.torExits = try ThreatIntelList.loadTorExitList(path: torExitsPath) }
            if let threatIntelPath { configuration.threatIntel = try ThreatIntelList.loadThreatIntel(path: threatIntelPath) }
        } catch {
            throw CommandFailure(message: error.description)
        }
        return configuration
    }
}
