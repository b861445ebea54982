/// One item of the header's second row ("events 5,405", "learned 9 d"), and how the row gives
/// way when it is too narrow: whole items leave, the least important first, rather than one
/// being cut in the middle of its number (`challenges 16…` for 164 reads as a wrong count).
/// An item with a `shortest` form (free text: a filter, a data-loss report) may be cut down to
/// it, at the row's end.
struct HeaderItem: Equatable {
    static let separator = "  "

    var text: String
    /// Higher stays longer.
    var rank: Int
    /// The narrowest this item may be written (with its `…`): its whole text unless given.
    var shortest: String?
    var role: StyleRole
    /// The columns it is given by `fitting`.
    var width: Int

    init(_ text: String, rank: Int, shortest: String? = nil, role: StyleRole = .label) {
        self.text = text
        self.rank = rank
        self.shortest = shortest
        self.role = role
        self.width = TerminalWidth.of(text)
    }

    private var minimumWidth: Int { shortest.map { min(TerminalWidth.of($0), width) } ?? width }

    /// The items that fit in `width` columns with separators, in their order: the lowest ranked
    /// leave first (the later of equal ranks first) until the rest fit at their narrowest; then
    /// each cuttable item gets what the items after it leave over, up to its whole text.
    /// - Complexity: O(n²) for n items; a header has at most seven.
    static func fitting(_ items: [HeaderItem], width: Int) -> [HeaderItem] {
        var kept = items
        func needed(_ items: [HeaderItem]) -> Int {
            items.reduce(0) { $0 + $1.minimumWidth } + max(items.count - 1, 0) * separator.count
        }
        while !kept.isEmpty, needed(kept) > width {
            let lowest = kept.indices.min { (kept[$0].rank, -$0) < (kept[$1].rank, -$1) } ?? kept.startIndex
            kept.remove(at: lowest)
        }
        var spare = width - needed(kept)
        for index in kept.indices {
            let extra = min(spare, kept[index].width - kept[index].minimumWidth)
            kept[index].width = kept[index].minimumWidth + extra
            spare -= extra
        }
        return kept
    }
}
