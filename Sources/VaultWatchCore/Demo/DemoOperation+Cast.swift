/// An operation of a recast story (`DemoStory.recast`).
extension DemoOperation {
    /// The operation on the object (or granting the identity) `names` maps its own to.
    func recast(_ names: [String: String]) -> DemoOperation {
        func name(_ value: String) -> String { names[value] ?? value }
        switch self {
        case .vaultGet, .secretList, .certificateList, .keyList: return self
        case .vaultPut(let granted): return .vaultPut(granting: name(granted))
        case .secretGet(let object): return .secretGet(name(object))
        case .secretSet(let object): return .secretSet(name(object))
        case .secretDelete(let object): return .secretDelete(name(object))
        case .secretPurge(let object): return .secretPurge(name(object))
        case .keyGet(let object): return .keyGet(name(object))
        case .keySign(let object): return .keySign(name(object))
        case .keyUnwrap(let object): return .keyUnwrap(name(object))
        case .certificateGet(let object): return .certificateGet(name(object))
        case .secretListVersions(let object): return .secretListVersions(name(object))
        case .certificatePolicyGet(let object): return .certificatePolicyGet(name(object))
        case .secretBackup(let object): return .secretBackup(name(object))
        case .certificateImport(let object): return .certificateImport(name(object))
        }
    }
}
