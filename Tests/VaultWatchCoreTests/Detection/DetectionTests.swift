import Testing

/// The parent suite of detection's tests, so `swift test --filter Detection` selects them all.
@Suite("Detection")
enum DetectionTests {}
