/// One call to a vault, before it is written as a record: generation decides these, the
/// renderer turns them into the service's JSON.
struct DemoCall {
    var ticks: Int64
    /// Order of generation, to break ties in time deterministically.
    var sequence: Int
    var identity: DemoIdentity
    var application: DemoApplication
    var clientInfo: String
    var vault: DemoVault
    var operation: DemoOperation
    var address: String
    var outcome: DemoOutcome
    /// For `vaultPut`: the principal the new access policy names.
    var grantedObjectID: String?
}
