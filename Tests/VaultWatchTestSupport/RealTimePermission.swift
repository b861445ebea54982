import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether this process may put a thread in Linux's real-time classes at priority 1: with the
/// CAP_SYS_NICE capability (root's, unless a container drops it) or an `RLIMIT_RTPRIO` of at
/// least 1 (an ordinary user's is 0). The kernel's own rule, read independently of the code under
/// test (which simply asks), so that tests know which outcome to expect.
public enum RealTimePermission {
    public static var isGranted: Bool {
        #if os(Linux)
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(__RLIMIT_RTPRIO.rawValue), &limit) == 0, limit.rlim_cur >= 1 { return true }
        return hasCapabilityToSchedule
        #else
        return false
        #endif
    }

    /// Whether this process has CAP_SYS_NICE (it may also raise a thread's priority: `nice -n -10`).
    public static var hasCapabilityToSchedule: Bool {
        #if os(Linux)
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        let capSysNice: UInt64 = 23
        return mask & (1 << capSysNice) != 0
        #else
        return false
        #endif
    }
}
