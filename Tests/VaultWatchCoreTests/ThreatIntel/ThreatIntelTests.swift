import Testing

/// Groups the threat-intelligence suites, so `--filter ThreatIntel` runs all of them
/// (addresses and blocks, the range set, and the list loaders).
@Suite("Threat intelligence")
enum ThreatIntelTests {}
