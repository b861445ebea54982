#if VAULTWATCH_LIBFUZZER
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VaultWatchFuzzing

/// libFuzzer's entry for a program that keeps its own `main` (the runtime is linked from
/// `libclang_rt.fuzzer_no_main`), so one binary serves every target.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Hands the target to libFuzzer, which calls it with each input it generates.
enum LibFuzzer {
    /// The target libFuzzer's callback runs: a C function pointer cannot capture it. Written
    /// once, before the fuzzer starts.
    nonisolated(unsafe) private static var target = FuzzTarget.recordDecoder

    static func run(_ target: FuzzTarget, arguments: [String]) -> Int32 {
        Self.target = target
        var cArguments: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        cArguments.append(nil)
        var count = CInt(arguments.count)
        return cArguments.withUnsafeMutableBufferPointer { buffer in
            var argv = buffer.baseAddress
            return LLVMFuzzerRunDriver(&count, &argv) { data, size in
                let outcome = LibFuzzer.target.run(UnsafeRawBufferPointer(start: data, count: size))
                if !outcome.violations.isEmpty {
                    // A broken property is a finding: abort, and libFuzzer keeps the input.
                    for violation in outcome.violations { FuzzDriver.printError("vaultwatch-fuzz: \(violation)") }
                    abort()
                }
                return 0
            }
        }
    }
}
#endif
