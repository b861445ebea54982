#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultWatchFuzzing

/// `vaultwatch-fuzz TARGET [--messages] [FILE|DIR]…`
///
/// The plain build replays files (a directory: every file in it) through a fuzz target and
/// exits 1 if any breaks a property the target checks. Built by `scripts/fuzz.sh` with
/// `-DVAULTWATCH_LIBFUZZER`, coverage instrumentation, the address sanitizer and libFuzzer's
/// runtime without its `main`, the same command is the fuzzer: the arguments after TARGET go
/// to libFuzzer (`-max_total_time=600 CORPUS_DIR SEED_DIR`).
@main
struct FuzzDriver {
    static let targetVariable = "VAULTWATCH_FUZZ_TARGET"

    static func main() {
        var arguments = CommandLine.arguments
        let target: FuzzTarget
        if arguments.count >= 2, let named = FuzzTarget(rawValue: arguments[1]) {
            target = named
            arguments.remove(at: 1)
            // libFuzzer runs itself again without TARGET (-minimize_crash, -fork): they find it here.
            setenv(targetVariable, named.rawValue, 1)
        } else if let inherited = getenv(targetVariable).flatMap({ FuzzTarget(rawValue: String(cString: $0)) }) {
            target = inherited
        } else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            printError("usage: vaultwatch-fuzz \(names) [--messages] [FILE|DIR]…")
            exit(1)
        }
        #if VAULTWATCH_LIBFUZZER
        exit(LibFuzzer.run(target, arguments: arguments))
        #else
        var paths = Array(arguments.dropFirst())
        let printsMessages = paths.first == "--messages"
        if printsMessages { paths.removeFirst() }
        exit(CorpusReplay(target: target, printsMessages: printsMessages).run(paths: paths))
        #endif
    }

    /// Writes a line to stderr (straight to the descriptor: the libFuzzer build may be about to
    /// abort, and nothing must stay buffered).
    static func printError(_ text: String) {
        var line = text
        line.append("\n")
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let written = write(2, base + offset, bytes.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
