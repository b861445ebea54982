import Foundation

/// The detector's learned state (baselines) as opaque bytes with the version of their format.
///
/// The store never looks inside: the detector writes and reads the bytes; the store keeps the
/// latest snapshot committed with the checkpoints it belongs to.
public struct DetectorSnapshot: Sendable, Hashable {
    /// The detector's own format version, so that a newer detector can refuse or convert an old blob.
    public var formatVersion: Int
    /// As the detector wrote it (`Detector.exportProgress`) and reads it: the same bytes, never
    /// copied on their way to SQLite (13 MB on the benchmark's synthetic records; each copy was
    /// some 5 ms of faulting in fresh pages and copying, twice a save).
    public var data: Data

    public init(formatVersion: Int, data: Data) {
        self.formatVersion = formatVersion
        self.data = data
    }
}
