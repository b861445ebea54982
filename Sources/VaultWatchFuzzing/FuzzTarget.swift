/// The parsers that read what a user hands VaultWatch, each as a coverage-guided fuzzer (and the
/// corpus replayer) drives it: bytes in, an outcome out, never a crash.
///
/// `scripts/fuzz.sh` builds `vaultwatch-fuzz` with libFuzzer and the address sanitizer and runs a
/// target for a given time; the plain build's `vaultwatch-fuzz` and the tests replay the corpus
/// and every input that once broke a parser through the same `run(_:)`.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Framing and decoding of log records (every input shape), read in fuzzer-chosen pieces.
    case recordDecoder = "record-decoder"
    /// The `--config` file: TOML, the detector's settings and the dashboard's `[keys]`.
    case configuration
    /// A theme file (TOML) and its colours at every colour depth.
    case theme
    /// The `--tor-exits` and `--threat-intel` lists.
    case threatIntel = "threat-intel"

    /// Runs one input through the target's parser.
    ///
    /// A parser may accept or reject the input; the outcome's `violations` name any property
    /// that must hold for every input and did not (the libFuzzer driver traps on them, so
    /// they are kept as crashes; tests expect none).
    public func run(_ input: UnsafeRawBufferPointer) -> FuzzOutcome {
        switch self {
        case .recordDecoder: return RecordDecoderHarness.run(input)
        case .configuration: return ConfigurationHarness.run(input)
        case .theme: return ThemeHarness.run(input)
        case .threatIntel: return ThreatIntelHarness.run(input)
        }
    }

    /// Runs `input` (the bytes of a corpus file).
    public func run(_ input: [UInt8]) -> FuzzOutcome {
        input.withUnsafeBytes { run($0) }
    }
}
