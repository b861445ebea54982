/// What the terminal reports between frames.
public enum TerminalInput: Sendable, Hashable {
    case key(Key)
    case resize
}
