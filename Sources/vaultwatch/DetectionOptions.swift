import ArgumentParser
import VaultWatchCore

/// Options shared by the commands that run detection.
struct DetectionOptions: ParsableArguments {
    @Option(name: .customLong("tor-exits"), help: ArgumentHelp("A Tor exit list: TorDNSEL exit-addresses, or one IP per line.", valueName: "file"))
    var torExitsPath: String?

    @Option(name: .customLong("threat-intel"), help: ArgumentHelp("Suspicious IPs and CIDR ranges, one per line, # comments.", valueName: "file"))
    var threatIntelPath: String?

    @OptionGroup var language: LanguageOption

    /// The detector's configuration, loading the intelligence lists named.
    /// - Throws: `CommandFailure` naming the file, line and problem of a bad list.
    func detectorConfiguration(environment: [String: String]) throws -> DetectorConfiguration {
        var configuration = DetectorConfiguration(language: language.language(environment: environment))
        do {
            if let torExitsPath { configuration.torExits = try ThreatIntelList.loadTorExitList(path: torExitsPath) }
            if let threatIntelPath { configuration.threatIntel = try ThreatIntelList.loadThreatIntel(path: threatIntelPath) }
        } catch {
            throw CommandFailure(message: error.description)
        }
        return configuration
    }
}
