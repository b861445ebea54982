/// Why the dashboard could not take the terminal.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// No terminal to draw on (output redirected, no /dev/tty).
    case noTerminal
    case cannotInitialise(String)

    public var description: String {
        switch self {
        case .noTerminal: "no terminal to draw the dashboard on"
        case .cannotInitialise(let reason): "cannot set up the terminal: \(reason)"
        }
    }
}
