/// The distinct objects (secrets, keys, certificates) one principal touched on one vault in an
/// hour: what tells more replicas of its usual load (the same objects again) from a dump or
/// a mass read (many objects) in `BurstHistory.isUsualLoad`.
///
/// Exact up to `limit` distinct objects, then "at least `limit`": only the open hour's pairs
/// keep one, and the closed hours' callers whose hour could be more replicas of their usual load
/// (`HourCallers.Replicas`, for their late records); a principal that touches hundreds of objects
/// in an hour is judged by its count alone at that point (its usual is as large).
///
/// Memory: four bytes per distinct object, for the pairs of the open hour and those replicas only.
/// - Complexity: `insert` is O(distinct objects so far), a scan of small integers: an hour of a
///   configuration provider touches tens.
struct HourObjects: Sendable, Equatable {
    /// The most objects told apart.
    static let limit = 512

    private(set) var objects: [Symbol] = []

    init() {}

    /// The objects of a saved open hour.
    init(_ objects: [Symbol]) {
        for object in objects { insert(object) }
    }

    /// The distinct objects touched so far (at most `limit`).
    var count: Int { objects.count }

    /// Counts `object` (`Symbol.none`, a call on no object such as a listing, is not one).
    /// Returns whether it was not counted before.
    @discardableResult
    mutating func insert(_ object: Symbol) -> Bool {
        guard !object.isNone, objects.count < Self.limit, !objects.contains(object) else { return false }
        objects.append(object)
        return true
    }
}
