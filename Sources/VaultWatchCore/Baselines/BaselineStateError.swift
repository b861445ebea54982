/// Why exported detector state could not be restored.
public struct BaselineStateError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
