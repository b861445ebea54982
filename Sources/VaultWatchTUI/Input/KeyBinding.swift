/// One row of the key table: keys, the action, where it applies, and how help and the footer
/// describe it.
public struct KeyBinding: Sendable, Hashable {
    public var keys: [Key]
    public var action: KeyAction
    public var context: KeyContext
    /// A word or two for the footer; nil keeps the binding out of the footer.
    public var hint: String?
    /// A sentence for the help screen.
    public var description: String

    public init(_ keys: [Key], _ action: KeyAction, _ context: KeyContext, hint: String? = nil, _ description: String) {
        self.keys = keys
        self.action = action
        self.context = context
        self.hint = hint
        self.description = description
    }

    /// The keys as shown: `j/↓`.
    public var keyLabel: String { keys.map(\.label).joined(separator: "/") }
}
