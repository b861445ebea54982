/// The detector's learned state (baselines) as opaque bytes with the version of their format.
///
/// The store never looks inside: the detector writes and reads the bytes; the store keeps the
/// latest snapshot committed with the checkpoints it belongs to.
public struct DetectorSnapshot: Sendable, Hashable {
    /// The detector's own format version, so that a newer detector can refuse or convert an old blob.
    public var formatVersion: Int
    public var data: [UInt8]

    public init(formatVersion: Int, data: [UInt8]) {
        self.formatVersion = formatVersion
        self.data = data
    }
}
