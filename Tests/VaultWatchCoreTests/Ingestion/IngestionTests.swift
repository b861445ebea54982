import Testing

/// The ingestion suites (`FileFollower`, `BlobDirectory`, `Ingestor`), grouped so that
/// `swift test --filter Ingestion` runs them all.
@Suite("Ingestion")
enum IngestionTests {}
