/// Display names for the object ids and application ids that audit records carry bare
/// ("87f0ed15-… called SecretSet"): from the directory exports an admin already has
/// (`--directory FILE`, the configuration's `directory`), over a built-in table of Microsoft
/// first-party applications (`FirstPartyApplications`).
///
/// Names are for people: shown beside the id on screen, in `alerts show`, `hunt`'s table and
/// the Defender and OCSF shapes, never in place of the id in JSON. Ids are GUIDs, matched
/// without regard to case (records and exports spell them either way).
public struct DirectoryNames: Sendable, Hashable {
    /// Lowercased id → display name.
    public private(set) var entries: [String: String]

    public init(entries: [String: String] = [:]) {
        var folded: [String: String] = [:]
        for (id, name) in entries { folded[id.lowercased()] = name }
        self.entries = folded
    }

    /// No names at all, not even the first-party table.
    public static let empty = DirectoryNames()

    /// Microsoft's first-party applications that appear in Key Vault logs.
    public static let builtIn = DirectoryNames(entries: FirstPartyApplications.names)

    public var count: Int { entries.count }

    /// The display name of an object id or application id, if known.
    /// - Complexity: one lowercasing of `id` and a hash look-up.
    public func name(for id: String?) -> String? {
        guard let id, !id.isEmpty else { return nil }
        if let name = entries[id] { return name }
        return entries[id.lowercased()]
    }

    /// `id (Name)` when the name is known, else `id`: the on-screen form, the id never hidden.
    public func label(for id: String) -> String {
        name(for: id).map { "\(id) (\($0))" } ?? id
    }

    /// The ids whose display name is `name`, compared without regard to case (for `hunt
    /// --principal NAME`). Empty when no entry has that name.
    public func ids(named name: String) -> [String] {
        let wanted = name.lowercased()
        return entries.filter { $0.value.lowercased() == wanted }.map(\.key).sorted()
    }

    /// These names with `other`'s over them (a later file wins for the same id).
    public func merging(_ other: DirectoryNames) -> DirectoryNames {
        var merged = self
        merged.entries.merge(other.entries) { _, new in new }
        return merged
    }

    mutating func set(_ name: String, for id: String) {
        entries[id.lowercased()] = name
    }
}
