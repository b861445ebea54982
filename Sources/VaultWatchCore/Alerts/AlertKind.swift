/// Every kind of alert VaultWatch raises (DESIGN.md §4). The raw value is the name written in
/// alert JSON and matched by scripts, so it never changes once released.
public enum AlertKind: String, Sendable, Hashable, CaseIterable, Codable {
    case torAccess = "KV_TORAccess"
    case suspiciousIPAccess = "KV_SuspiciousIPAccess"
    case suspiciousIPAccessDenied = "KV_SuspiciousIPAccessDenied"
    case putGetAnomaly = "KV_PutGetAnomaly"
    case listGetAnomaly = "KV_ListGetAnomaly"
    case userAnomaly = "KV_UserAnomaly"
    case appAnomaly = "KV_AppAnomaly"
    case userAppAnomaly = "KV_UserAppAnomaly"
    case userAccessDeniedAnomaly = "KV_UserAccessDeniedAnomaly"
    case operationPatternAnomaly = "KV_OperationPatternAnomaly"
    case operationVolumeAnomaly = "KV_OperationVolumeAnomaly"
    case accountVolumeAnomaly = "KV_AccountVolumeAnomaly"
    case accountVolumeAccessDeniedAnomaly = "KV_AccountVolumeAccessDeniedAnomaly"
    case unusualAccessSuspiciousIP = "KV_UnusualAccessSuspiciousIP"
    case sensitiveOperation = "KV_SensitiveOperation"
    case testAlert = "KV_TestAlert"

    /// The severity an alert of this kind starts with. A rule may lower it for a refused call
    /// (Tor access that was denied is Low) but the catalogue states the usual case.
    public var defaultSeverity: Severity {
        switch self {
        case .torAccess, .suspiciousIPAccess, .putGetAnomaly, .listGetAnomaly, .userAnomaly, .appAnomaly,
            .userAppAnomaly, .operationPatternAnomaly, .operationVolumeAnomaly, .accountVolumeAnomaly,
            .unusualAccessSuspiciousIP:
            .medium
        case .suspiciousIPAccessDenied, .userAccessDeniedAnomaly, .accountVolumeAccessDeniedAnomaly,
            .sensitiveOperation:
            .low
        case .testAlert:
            .informational
        }
    }

    /// Whether the kind needs learned baselines (it stays silent while a vault is learning).
    public var needsBaseline: Bool {
        switch self {
        case .torAccess, .suspiciousIPAccess, .suspiciousIPAccessDenied, .sensitiveOperation, .testAlert: false
        default: true
        }
    }
}
