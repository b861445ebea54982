/// Where a record came from: its source (a symbol for the path, or `-`) and the 1-based line
/// on which it starts. Problems and evidence name it as `file:line`.
public struct RecordLocation: Sendable, Hashable {
    public var source: Symbol
    public var line: UInt32

    public init(source: Symbol, line: UInt32) {
        self.source = source
        self.line = line
    }
}
