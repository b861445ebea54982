import CVaultWatchBytes

/// Decodes record texts (one JSON value each: a record, a `{"records":[…]}` envelope, or a
/// top-level array of records or Log Analytics rows) into `AuditEvent`s.
///
/// The hot path of ingestion: a single pass over the bytes with `JSONScanner`, looking up
/// each key in a small table and skipping every value it does not need; strings become
/// symbols through lock-free caches. No Foundation, no intermediate tree.
/// - Important: one decoder per ingesting task; not thread-safe.
struct RecordDecoder: Sendable {
    let symbols: SymbolTable
    private var plainSymbols: SymbolCache
    private var foldedSymbols: SymbolCache
    /// Object names and user agents: unbounded in number, interned transiently.
    private var transientSymbols: SymbolCache
    private var scratch: [UInt8] = []
    private var outcomeBySignature: [Symbol: Outcome] = [:]
    /// The text of the last `time` that was not an ISO-8601 date-time, for the problem of the
    /// record it was read in (`RecordDraft.hasInvalidTime`). Kept here rather than in the draft:
    /// a draft holding a string is copied and destroyed with reference counting on every record,
    /// while this is written only for the rare bad time. A record is finished right after its
    /// own members are read, so no other record's time comes between.
    private var invalidTimeText = ""
    /// The day of the last time read, for the next record's (records come in time order).
    private var rememberedDay = EventTime.RememberedDay()
    /// The resource id of each vault, indexed by the vault symbol's raw value (symbols are
    /// small dense integers, so an array beats hashing on this per-record path): as its first
    /// record wrote it. `SourceReader` hands it between the decoders of a chunk's two halves.
    var resourceIDByVault: [Symbol] = []
    private let keys = RecordField.keyTable
    /// The stable digests of the names in records' identities (`RecordIdentities.identity`).
    private var nameDigests: RecordIdentities.NameDigests
    /// The members of the last records, by position, with what their values decoded to.
    private var members = MemberPredictor<MemberValue>()
    private typealias MemberGuess = MemberPredictor<MemberValue>.Guess

    /// What an object id decodes to: its kind, and its name (nil: the id names none, and the
    /// draft's name is left as it is).
    struct ObjectReference {
        var kind: ObjectKind
        var name: Symbol?
    }

    /// What the decoder made of one member's value: what `apply` writes into a draft, and what
    /// `MemberPredictor` gives again for the same bytes. Plain values only, no references.
    enum MemberValue {
        /// Not of the field's kind (a number where a name goes): the draft is left as it is.
        case absent
        case symbol(Symbol)
        /// A `resourceId`: its vault (the resource id is the one the vault's first record wrote,
        /// `resourceIDByVault`).
        case vault(Symbol)
        case time(EventTime)
        /// A `time` that is not an ISO-8601 date-time (its text is `invalidTimeText`): never
        /// given again, since another bad time may have replaced the text since.
        case invalidTime
        case integer(Int64)
        case address(IPAddress?)
        case object(ObjectReference)
        /// A `correlationId`'s digest (`RecordIdentities.correlationDigest`), 0 for an empty one.
        case digest(UInt64)
        /// An `identity` or `claim` object: the claims it wrote (`Claims`), given again whole
        /// when the object's bytes repeat (a caller's run of requests), instead of its members
        /// being matched one by one.
        case claims(Claims)
    }

    /// What an object of claims (`identity`, `claim`: the key table gives them no other field)
    /// wrote into a draft: each of the three claims it assigned (`written`, bits as
    /// `RecordDraft.claimsWritten`), the last value assigned, `Symbol.none` included (a `null`).
    struct Claims {
        var principalID: Symbol
        var upn: Symbol
        var appID: Symbol
        var written: UInt8

        static var principalIDBit: UInt8 { 1 }
        static var upnBit: UInt8 { 2 }
        static var appIDBit: UInt8 { 4 }
    }

    init(symbols: SymbolTable) {
        self.symbols = symbols
        self.plainSymbols = SymbolCache(table: symbols)
        self.foldedSymbols = SymbolCache(table: symbols, foldingCase: true)
        self.transientSymbols = SymbolCache(table: symbols, transient: true)
        self.nameDigests = RecordIdentities.NameDigests(symbols: symbols)
        scratch.reserveCapacity(256)
    }

    /// Decodes one record text, appending its events (and a problem for each unusable record)
    /// to `batch`. A text that is not valid JSON throws and adds nothing: nothing in it can be
    /// trusted, and the caller (`SourceReader`) decides whether it is a truncated record or
    /// the start of a value that goes on over the next lines.
    /// - Parameters:
    ///   - line: the line on which the text starts in its source.
    ///   - spansLines: the text contains newlines, so records inside it start on later lines.
    mutating func decodeOrThrow(
        _ text: UnsafeRawBufferPointer, source: Symbol, sourceName: String, line: Int, spansLines: Bool,
        into batch: inout EventBatch
    ) throws(JSONSyntaxError) {
        var scanner = JSONScanner(text)
        let mark = batch.mark
        do throws(JSONSyntaxError) {
            try decode(&scanner, source: source, sourceName: sourceName, line: line, spansLines: spansLines, into: &batch)
            try scanner.expectEnd()
        } catch {
            batch.rollBack(to: mark)
            throw error
        }
    }

    /// Decodes the line at the start of `text` (which runs on past it): the JSON-lines fast
    /// path, framing the line while decoding it instead of searching for its newline first.
    /// Returns the length of the line with its newline.
    /// - Throws: for anything but one valid value, optional blanks and a newline — including a
    ///   line that has no newline yet. Nothing is added to `batch` then: the caller frames the
    ///   line the ordinary way, which reports it precisely.
    mutating func decodeLeadingLine(
        _ text: UnsafeRawBufferPointer, source: Symbol, sourceName: String, line: Int, into batch: inout EventBatch
    ) throws(JSONSyntaxError) -> Int {
        var scanner = JSONScanner(text, stopsAtNewline: true)
        let mark = batch.mark
        try decode(&scanner, source: source, sourceName: sourceName, line: line, spansLines: false, into: &batch)
        scanner.skipWhitespace()
        guard scanner.position < text.count, text[scanner.position] == 0x0A else {
            batch.rollBack(to: mark)
            throw JSONSyntaxError(.trailingContent, at: scanner.position)
        }
        return scanner.position + 1
    }

    /// One value at the scanner's position; on a syntax error, `batch` is left as it was.
    private mutating func decode(
        _ scanner: inout JSONScanner, source: Symbol, sourceName: String, line: Int, spansLines: Bool,
        into batch: inout EventBatch
    ) throws(JSONSyntaxError) {
        let text = scanner.bytes
        let mark = batch.mark
        var context = TextContext(source: source, firstLine: line, spansLines: spansLines)
        do throws(JSONSyntaxError) {
            switch try scanner.peek() {
            case 0x7B:
                try decodeTopLevelObject(&scanner, context: &context, sourceName: sourceName, into: &batch)
            case 0x5B:
                scanner.position += 1
                if !(try scanner.consumeClose(0x5D)) {
                    repeat {
                        if try scanner.peek() == 0x7B {
                            try decodeTopLevelObject(&scanner, context: &context, sourceName: sourceName, into: &batch)
                        } else {
                            let start = scanner.position
                            try scanner.skipValue()
                            batch.report(InputProblem(
                                source: sourceName, line: context.line(at: start, in: text),
                                reason: "array element is not a record object", severity: .skipped))
                        }
                    } while try scanner.continueContainer(close: 0x5D)
                }
            default:
                let byte = try scanner.peek()
                throw JSONSyntaxError(.unexpectedByte(byte), at: scanner.position)
            }
        } catch {
            // Invalid JSON: nothing in this text can be trusted, so it yields nothing.
            batch.rollBack(to: mark)
            throw error
        }
    }

    /// Where records of one text are, for `file:line` in problems and evidence. The source's
    /// name is not held here but passed along beside: a stored string would be retained and
    /// released for every text decoded, and only problems need it.
    private struct TextContext {
        let source: Symbol
        let firstLine: Int
        let spansLines: Bool
        private var countedOffset = 0
        private var countedLine = 0

        init(source: Symbol, firstLine: Int, spansLines: Bool) {
            self.source = source
            self.firstLine = firstLine
            self.spansLines = spansLines
            self.countedLine = firstLine
        }

        /// The line of byte `offset`; offsets asked for in increasing order cost O(n) in all.
        mutating func line(at offset: Int, in text: UnsafeRawBufferPointer) -> Int {
            guard spansLines else { return firstLine }
            if offset < countedOffset {
                countedOffset = 0
                countedLine = firstLine
            }
            var index = countedOffset
            while index < offset && index < text.count {
                if text[index] == 0x0A { countedLine += 1 }
                index += 1
            }
            countedOffset = index
            return countedLine
        }
    }

    private mutating func decodeTopLevelObject(
        _ scanner: inout JSONScanner, context: inout TextContext, sourceName: String, into batch: inout EventBatch
    ) throws(JSONSyntaxError) {
        let start = scanner.position
        var draft = RecordDraft()
        try decodeRecord(&scanner, draft: &draft, depth: 0, context: &context, sourceName: sourceName, into: &batch)
        if !draft.isEnvelope {
            finish(draft, line: context.line(at: start, in: scanner.bytes), context: context, sourceName: sourceName, into: &batch)
        }
    }

    /// Records that `vault`'s resource id was first written as `resourceID` (by the decoder of
    /// a later part of the same source, `SourceReader.frameInHalves`), unless one is known.
    mutating func learnResourceID(_ resourceID: Symbol, forVaultSlot slot: Int) {
        if slot >= resourceIDByVault.count {
            resourceIDByVault.append(contentsOf: repeatElement(.none, count: slot + 1 - resourceIDByVault.count))
        }
        if resourceIDByVault[slot].isNone { resourceIDByVault[slot] = resourceID }
    }

    // MARK: - Objects

    /// A record object's members; a `records` array inside makes it an envelope whose
    /// elements are decoded as records in turn.
    private mutating func decodeRecord(
        _ scanner: inout JSONScanner, draft: inout RecordDraft, depth: Int, context: inout TextContext, sourceName: String,
        into batch: inout EventBatch
    ) throws(JSONSyntaxError) {
        try scanner.expect(0x7B)
        if try scanner.consumeClose(0x7D) { return }
        members.beginRecord()
        var ordinal = 0
        repeat {
            let key = try readKey(&scanner, context: .record, ordinal: ordinal)
            ordinal += 1
            if key.isWholeMember, reuseValue(of: key, &scanner, draft: &draft) {
                members.noteHit(key)
                continue
            }
            if key.field == .records {
                guard depth == 0, try scanner.peek() == 0x5B else {
                    try scanner.skipValue()
                    continue
                }
                draft.isEnvelope = true
                scanner.position += 1
                if try scanner.consumeClose(0x5D) { continue }
                repeat {
                    if try scanner.peek() == 0x7B {
                        let start = scanner.position
                        var element = RecordDraft()
                        try decodeRecord(
                            &scanner, draft: &element, depth: depth + 1, context: &context, sourceName: sourceName, into: &batch)
                        finish(
                            element, line: context.line(at: start, in: scanner.bytes), context: context, sourceName: sourceName,
                            into: &batch)
                    } else {
                        try scanner.skipValue()
                    }
                } while try scanner.continueContainer(close: 0x5D)
            } else {
                try readValue(of: key, &scanner, draft: &draft)
            }
        } while try scanner.continueContainer(close: 0x7D)
    }

    /// The value of a member whose bytes are the remembered member's (`MemberPredictor`): what
    /// it decoded to then goes into `draft` and the scanner moves past it. False (nothing done)
    /// when what it decoded to no longer holds (`reuse`).
    @inline(__always)
    private mutating func reuseValue(of key: MemberGuess, _ scanner: inout JSONScanner, draft: inout RecordDraft) -> Bool {
        if let field = key.field {
            guard let slot = key.slot, let value = members.value(slot), reuse(value, as: field, draft: &draft) else { return false }
        }
        scanner.position += key.valueLength
        return true
    }

    /// The value of a member whose key `key` read, the ordinary way: decoded into `draft` (or
    /// skipped, for a key the decoder has no use for) and remembered with what it decoded to.
    private mutating func readValue(of key: MemberGuess, _ scanner: inout JSONScanner, draft: inout RecordDraft) throws(JSONSyntaxError) {
        let start = scanner.position
        guard let field = key.field else {
            try scanner.skipValue()
            members.learnValue(key, scanner.bytes, start: start, end: scanner.position, framedAsLine: scanner.stopsAtNewline, decoded: nil)
            return
        }
        if let value = try decodeField(field, &scanner, draft: &draft) {
            members.learnValue(
                key, scanner.bytes, start: start, end: scanner.position, framedAsLine: scanner.stopsAtNewline, decoded: value)
        }
    }

    /// One field's value, wherever it appears (top level, `identity`, `claim`, `properties`),
    /// into `draft`. Returns what the value decoded to, for `MemberPredictor` to give again:
    /// for an object of claims, the claims it wrote; nil for `properties` and an access policy
    /// (their members are remembered one by one) and for a value that must be read each time.
    private mutating func decodeField(
        _ field: RecordField, _ scanner: inout JSONScanner, draft: inout RecordDraft
    ) throws(JSONSyntaxError) -> MemberValue? {
        switch field {
        case .identity, .claim:
            // Only the claims can be written inside: what the object wrote is remembered whole.
            let outer = draft.claimsWritten
            draft.claimsWritten = 0
            try decodeNested(&scanner, context: field == .identity ? .identity : .claim, draft: &draft)
            let claims = Claims(
                principalID: draft.principalID, upn: draft.upn, appID: draft.appID, written: draft.claimsWritten)
            draft.claimsWritten |= outer
            return .claims(claims)
        case .properties: try decodeNested(&scanner, context: .properties, draft: &draft)
        case .addedAccessPolicy: try decodeNested(&scanner, context: .accessPolicy, draft: &draft)
        case .records: try scanner.skipValue()
        default:
            let value = try decodeValue(field, &scanner)
            apply(value, as: field, draft: &draft)
            if case .invalidTime = value { return nil }
            return value
        }
        return nil
    }

    /// Whether what a remembered value decoded to still holds, and then writes it into `draft`
    /// as `apply` does: a transient symbol the table has forgotten since, or a vault whose
    /// resource id this decoder was not given (`SourceReader.frameInHalves` hands each half's
    /// decoder the ids known before it), is read again instead.
    @inline(__always)
    private func reuse(_ value: MemberValue, as field: RecordField, draft: inout RecordDraft) -> Bool {
        switch value {
        case .symbol(let symbol):
            guard symbols.isLive(symbol) else { return false }
        case .object(let object):
            guard symbols.isLive(object.name ?? .none) else { return false }
        case .vault(let vault):
            guard Int(vault.rawValue) < resourceIDByVault.count, !resourceIDByVault[Int(vault.rawValue)].isNone else { return false }
        case .claims(let claims):
            guard symbols.isLive(claims.principalID), symbols.isLive(claims.upn), symbols.isLive(claims.appID) else { return false }
        default:
            break
        }
        apply(value, as: field, draft: &draft)
        return true
    }

    /// Writes what a value of `field` decoded to into `draft`: the one place where a value
    /// meets the draft, whether it was read now or given again (`reuse`).
    @inline(__always)
    private func apply(_ value: MemberValue, as field: RecordField, draft: inout RecordDraft) {
        switch value {
        case .absent:
            return
        case .symbol(let symbol):
            switch field {
            case .resourceName: draft.vaultFromResourceName = symbol
            case .operationName: draft.operation = symbol
            case .operationVersion: draft.operationVersion = symbol
            case .category: draft.category = symbol
            case .resultSignature: draft.resultSignature = symbol
            case .principalID:
                draft.principalID = symbol
                draft.claimsWritten |= Claims.principalIDBit
            case .upn:
                draft.upn = symbol
                draft.claimsWritten |= Claims.upnBit
            case .appID:
                draft.appID = symbol
                draft.claimsWritten |= Claims.appIDBit
            case .clientInfo: draft.clientInfo = symbol
            case .addedPolicyObjectID: draft.grantedPrincipalID = symbol
            default: return
            }
        case .vault(let vault):
            draft.vaultFromResourceID = vault
            draft.resourceID = resourceIDByVault[Int(vault.rawValue)]
        case .time(let time):
            if field == .time { draft.time = time } else { draft.timeGenerated = time }
        case .invalidTime:
            draft.hasInvalidTime = true
        case .integer(let integer):
            if field == .durationMs {
                if integer >= 0 { draft.durationMs = UInt32(clamping: integer) }
            } else if (0...999).contains(integer) {
                draft.httpStatusCode = UInt16(integer)
            }
        case .address(let address):
            draft.callerIP = address
        case .object(let object):
            draft.objectKind = object.kind
            if let name = object.name { draft.objectName = name }
        case .digest(let digest):
            draft.correlation = digest
        case .claims(let claims):
            if claims.written & Claims.principalIDBit != 0 { draft.principalID = claims.principalID }
            if claims.written & Claims.upnBit != 0 { draft.upn = claims.upn }
            if claims.written & Claims.appIDBit != 0 { draft.appID = claims.appID }
            draft.claimsWritten |= claims.written
        }
    }

    /// What the value of `field` (one that is not a nested object) decodes to.
    private mutating func decodeValue(_ field: RecordField, _ scanner: inout JSONScanner) throws(JSONSyntaxError) -> MemberValue {
        switch field {
        case .time, .timeGenerated:
            guard let span = try Self.stringValue(&scanner) else { return .absent }
            if let time = try Self.withStringBytes(span, scanner, { EventTime.parse(iso8601: $0, day: &rememberedDay) }) {
                return .time(time)
            }
            invalidTimeText = try Self.withStringBytes(span, scanner) { String(decoding: $0.prefix(64), as: UTF8.self) }
            return .invalidTime
        case .resourceID:
            guard let span = try Self.stringValue(&scanner) else { return .absent }
            let vault = try Self.withStringBytes(span, scanner) { bytes in
                var end = bytes.count
                while end > 0, bytes[end - 1] == 0x2F { end -= 1 }
                var start = end
                while start > 0, bytes[start - 1] != 0x2F { start -= 1 }
                return foldedSymbols.intern(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            }
            // Vault names are globally unique (they are DNS names), so a vault's resource id is
            // interned once, as first written, rather than hashed on every record.
            let slot = Int(vault.rawValue)
            if slot >= resourceIDByVault.count || resourceIDByVault[slot].isNone {
                let resourceID = try symbol(span, scanner, folding: false)
                if slot >= resourceIDByVault.count {
                    resourceIDByVault.append(contentsOf: repeatElement(.none, count: slot + 1 - resourceIDByVault.count))
                }
                resourceIDByVault[slot] = resourceID
            }
            return .vault(vault)
        case .category:
            // Nearly every record says "AuditEvent": compare in place, intern only the others.
            guard let span = try Self.stringValue(&scanner) else { return .absent }
            let isAuditEvent = try Self.withStringBytes(span, scanner) { Self.equalsFolded($0, "auditevent") }
            return .symbol(isAuditEvent ? .none : try symbol(span, scanner, folding: true))
        case .durationMs, .httpStatusCode:
            guard let integer = try Self.integerValue(&scanner) else { return .absent }
            return .integer(integer)
        case .callerIPAddress:
            guard let span = try Self.stringValue(&scanner) else { return .absent }
            return .address(try Self.withStringBytes(span, scanner) { IPAddress.parse($0) })
        case .objectID:
            guard let span = try Self.stringValue(&scanner) else { return .absent }
            return .object(try Self.withStringBytes(span, scanner) { decodeObjectID($0) })
        case .resourceName, .principalID, .appID, .addedPolicyObjectID:
            return .symbol(try symbolValue(&scanner, folding: true))
        case .operationName, .operationVersion, .resultSignature, .upn:
            return .symbol(try symbolValue(&scanner, folding: false))
        case .clientInfo:
            return .symbol(try symbolValue(&scanner, folding: false, transient: true))
        case .correlationID:
            guard let span = try Self.stringValue(&scanner) else { return .absent }
            return .digest(try Self.withStringBytes(span, scanner) { RecordIdentities.correlationDigest($0) })
        case .identity, .claim, .properties, .addedAccessPolicy, .records:
            // Nested objects are read by `decodeField`.
            try scanner.skipValue()
            return .absent
        }
    }

    /// A nested object (`identity`, `claim`, `properties`, `addedAccessPolicy`). Log Analytics
    /// exports hold these "dynamic" columns either as objects or as strings of JSON; both work.
    private mutating func decodeNested(_ scanner: inout JSONScanner, context: KeyContext, draft: inout RecordDraft) throws(JSONSyntaxError) {
        switch try scanner.peek() {
        case 0x7B:
            scanner.position += 1
            if try scanner.consumeClose(0x7D) { return }
            var ordinal = 0
            repeat {
                let key = try readKey(&scanner, context: context, ordinal: ordinal)
                ordinal += 1
                if key.isWholeMember, reuseValue(of: key, &scanner, draft: &draft) {
                    members.noteHit(key)
                    continue
                }
                try readValue(of: key, &scanner, draft: &draft)
            } while try scanner.continueContainer(close: 0x7D)
        case 0x22:
            let span = try scanner.scanString()
            var inner: [UInt8] = []
            try scanner.unescape(span, into: &inner)
            // The embedded JSON is a value of its own: if it is not valid, the field is ignored
            // (the record around it is still good).
            inner.withUnsafeBytes { innerBytes in
                var innerScanner = JSONScanner(innerBytes)
                do throws(JSONSyntaxError) {
                    guard try innerScanner.peek() == 0x7B else { return }
                    try decodeNested(&innerScanner, context: context, draft: &draft)
                } catch {
                    return
                }
            }
        default:
            try scanner.skipValue()
        }
    }

    // MARK: - Values

    /// Reads an object key and the colon after it: what `MemberPredictor` made of it (the field
    /// it names, nil when the decoder has no use for the key; whether the value after it is the
    /// remembered one too).
    ///
    /// Inlined into the loops over members: the predicted key of compact JSON (nearly every key)
    /// costs the comparison and a few instructions; anything else goes to `readKeyOn`, out of
    /// line, so that the loops keep their registers.
    @inline(__always)
    private mutating func readKey(_ scanner: inout JSONScanner, context: KeyContext, ordinal: Int) throws(JSONSyntaxError) -> MemberGuess {
        let position = scanner.position
        if position < scanner.bytes.count, scanner.bytes[position] == 0x22 {
            let guess = members.guess(context, ordinal: ordinal, scanner.bytes, at: position &+ 1)
            // The remembered key ends with its colon when the colon followed it directly.
            if guess.endsWithColon {
                scanner.position = position &+ 1 &+ guess.keyLength
                if guess.isOtherWay { members.prefer(guess) }
                return guess
            }
        }
        return try readKeyOn(&scanner, context: context, ordinal: ordinal)
    }

    /// `readKey` for a key that is not the remembered one, or is written with blanks around it.
    @inline(never)
    private mutating func readKeyOn(_ scanner: inout JSONScanner, context: KeyContext, ordinal: Int) throws(JSONSyntaxError) -> MemberGuess {
        if try scanner.peek() == 0x22 {
            let guess = members.guess(context, ordinal: ordinal, scanner.bytes, at: scanner.position + 1)
            if guess.isHit {
                scanner.position += 1 + guess.keyLength
                if !guess.endsWithColon { try scanner.expect(0x3A) }
                if guess.isOtherWay { members.prefer(guess) }
                return guess
            }
        }
        let span = try scanner.scanString()
        var guess: MemberGuess
        if !span.hasEscapes {
            let field = keys.field(context, scanner.bytes, span.start, span.end)
            guess = members.learnKey(context, ordinal: ordinal, scanner.bytes, start: span.start, end: span.end, field: field)
            if !guess.isHit { guess = .unremembered(field) }
        } else {
            // Serializers may escape '/' as '\/' in the long claim URIs.
            scratch.removeAll(keepingCapacity: true)
            try scanner.unescape(span, into: &scratch)
            guess = .unremembered(scratch.withUnsafeBytes { keys.field(context, $0, 0, $0.count) })
        }
        try scanner.expect(0x3A)
        return guess
    }

    /// A string value's span, or nil (value skipped) when it is not a string. Static, as the
    /// value readers below: a method of the decoder copied the whole decoder (312 bytes, a
    /// `memcpy`) onto the stack at each call from the mutating `decodeValue`.
    @inline(__always)
    private static func stringValue(_ scanner: inout JSONScanner) throws(JSONSyntaxError) -> JSONScanner.StringSpan? {
        if try scanner.peek() == 0x22 { return try scanner.scanString() }
        try scanner.skipValue()
        return nil
    }

    /// Runs `body` over a string's unescaped bytes: straight from the buffer when it has no
    /// escapes (the common case), else from a copy. Static, so `body` may mutate the decoder.
    @inline(__always)
    private static func withStringBytes<Result>(
        _ span: JSONScanner.StringSpan, _ scanner: JSONScanner, _ body: (UnsafeRawBufferPointer) -> Result
    ) throws(JSONSyntaxError) -> Result {
        if !span.hasEscapes {
            return body(UnsafeRawBufferPointer(rebasing: scanner.bytes[span.start..<span.end]))
        }
        var unescaped: [UInt8] = []
        try scanner.unescape(span, into: &unescaped)
        return unescaped.withUnsafeBytes { body($0) }
    }

    @inline(__always)
    private mutating func symbol(
        _ span: JSONScanner.StringSpan, _ scanner: JSONScanner, folding: Bool, transient: Bool = false
    ) throws(JSONSyntaxError) -> Symbol {
        if !span.hasEscapes {
            let bytes = UnsafeRawBufferPointer(rebasing: scanner.bytes[span.start..<span.end])
            return transient ? transientSymbols.intern(bytes) : folding ? foldedSymbols.intern(bytes) : plainSymbols.intern(bytes)
        }
        scratch.removeAll(keepingCapacity: true)
        try scanner.unescape(span, into: &scratch)
        let unescaped = scratch
        return unescaped.withUnsafeBytes {
            transient ? transientSymbols.intern($0) : folding ? foldedSymbols.intern($0) : plainSymbols.intern($0)
        }
    }

    /// A string value's symbol; `Symbol.none` (value skipped) when it is not a string.
    @inline(__always)
    private mutating func symbolValue(
        _ scanner: inout JSONScanner, folding: Bool, transient: Bool = false
    ) throws(JSONSyntaxError) -> Symbol {
        guard let span = try Self.stringValue(&scanner) else { return .none }
        return try symbol(span, scanner, folding: folding, transient: transient)
    }

    /// A number, or a string of digits (`"durationMs": "78"` in real records); nil otherwise.
    private static func integerValue(_ scanner: inout JSONScanner) throws(JSONSyntaxError) -> Int64? {
        switch try scanner.peek() {
        case 0x2D, 0x30...0x39:
            let span = try scanner.scanNumber()
            return scanner.integerValue(span)
        case 0x22:
            let span = try scanner.scanString()
            return try Self.withStringBytes(span, scanner) { bytes in
                guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
                var value: Int64 = 0
                for byte in bytes {
                    if byte == 0x2E { break }  // "78.0"
                    guard byte >= 0x30, byte <= 0x39 else { return nil }
                    value = value * 10 + Int64(byte - 0x30)
                }
                return value
            }
        default:
            try scanner.skipValue()
            return nil
        }
    }

    /// `https://VAULT.vault.azure.net/secrets/NAME/VERSION?query` → kind secret, name NAME
    /// (the version and query are dropped: alerts are about the object, not one version).
    ///
    /// Read separator by separator (`/` and `?`, `nextSeparator`): past the third slash (the end
    /// of `scheme://host/`; a `?` before it, or fewer slashes, names no object), the kind runs to
    /// the next separator and, after a slash, the name to the one after it.
    private mutating func decodeObjectID(_ bytes: UnsafeRawBufferPointer) -> ObjectReference {
        let count = bytes.count
        var index = 0
        for _ in 0..<3 {
            let separator = Self.nextSeparator(bytes, from: index)
            guard separator < count, bytes[separator] == 0x2F else { return ObjectReference(kind: .vault, name: nil) }
            index = separator &+ 1
        }
        let kindEnd = Self.nextSeparator(bytes, from: index)
        if kindEnd == index { return ObjectReference(kind: .vault, name: nil) }
        let kind = Self.objectKind(UnsafeRawBufferPointer(rebasing: bytes[index..<kindEnd]))
        var nameStart = kindEnd
        if kindEnd < count, bytes[kindEnd] == 0x2F { nameStart &+= 1 }
        let nameEnd = nameStart == kindEnd ? kindEnd : Self.nextSeparator(bytes, from: nameStart)
        return ObjectReference(kind: kind, name: transientSymbols.intern(UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd])))
    }

    /// The offset of the first `/` or `?` at or after `start` in an object id, or its length:
    /// sixteen bytes at a time (`CVaultWatchBytes`), the last fifteen or fewer one by one.
    @inline(__always)
    static func nextSeparator(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        let count = bytes.count
        var index = start
        if let base = bytes.baseAddress {
            while index &+ 16 <= count {
                let separators = vw_byte_mask(base + index, 0x2F) | vw_byte_mask(base + index, 0x3F)
                if separators != 0 { return index &+ separators.trailingZeroBitCount }
                index &+= 16
            }
        }
        while index < count, bytes[index] != 0x2F, bytes[index] != 0x3F { index &+= 1 }
        return index
    }

    /// Whether `bytes` spell the lowercase ASCII `literal`, ignoring ASCII case.
    static func equalsFolded(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        guard bytes.count == literal.utf8CodeUnitCount else { return false }
        let text = literal.utf8Start
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != text[index] { return false }
        }
        return true
    }

    /// `equalsFolded` for a literal of lowercase ASCII letters only, eight (or four) bytes at a
    /// time: a byte with its 0x20 bit set equals a lowercase letter exactly when it is that letter
    /// in either case (0x20 is the case bit of letters; no other byte has a letter for its form
    /// with that bit set), so the text's words are compared with that bit set in every byte.
    @inline(__always)
    static func equalsFoldedLetters(_ bytes: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count == count, let text = bytes.baseAddress else { return false }
        let letters = UnsafeRawPointer(literal.utf8Start)
        if count >= 8 {
            let caseBits: UInt64 = 0x2020_2020_2020_2020
            var offset = 0
            while offset &+ 8 < count {
                let word = text.loadUnaligned(fromByteOffset: offset, as: UInt64.self) | caseBits
                if word != letters.loadUnaligned(fromByteOffset: offset, as: UInt64.self) { return false }
                offset &+= 8
            }
            // The last eight bytes, overlapping what was compared.
            return text.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self) | caseBits
                == letters.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        }
        if count >= 4 {
            let caseBits: UInt32 = 0x2020_2020
            return text.loadUnaligned(as: UInt32.self) | caseBits == letters.loadUnaligned(as: UInt32.self)
                && text.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self) | caseBits
                    == letters.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        }
        return equalsFolded(bytes, literal)
    }

    /// The kind an object id's path names (`secrets`, `deletedkeys`…, in any case), by its length
    /// first: the id of nearly every record, and one folded comparison instead of up to eight
    /// byte by byte.
    static func objectKind(_ bytes: UnsafeRawBufferPointer) -> ObjectKind {
        func equals(_ literal: StaticString) -> Bool { equalsFoldedLetters(bytes, literal) }
        switch bytes.count {
        case 7:
            if equals("secrets") { return .secret }
            if equals("storage") { return .storageAccount }
        case 4: if equals("keys") { return .key }
        case 12: if equals("certificates") { return .certificate }
        case 14:
            if equals("deletedsecrets") { return .secret }
            if equals("deletedstorage") { return .storageAccount }
        case 11: if equals("deletedkeys") { return .key }
        case 19: if equals("deletedcertificates") { return .certificate }
        default: break
        }
        return .other
    }

    // MARK: - Records

    /// Turns a draft into an event, or reports why it cannot be one.
    private mutating func finish(
        _ draft: RecordDraft, line: Int, context: TextContext, sourceName: String, into batch: inout EventBatch
    ) {
        func problem(_ reason: String, _ severity: InputProblem.Severity) {
            batch.report(InputProblem(source: sourceName, line: line, reason: reason, severity: severity))
        }
        if !draft.category.isNone {
            let name = symbols.string(draft.category) ?? "?"
            problem("category \"\(name)\" is not a Key Vault AuditEvent record", .skipped)
            return
        }
        guard let time = draft.time ?? draft.timeGenerated else {
            problem(
                draft.hasInvalidTime
                    ? "time \"\(invalidTimeText)\" is not an ISO-8601 date-time" : "record has no time (nor TimeGenerated)",
                .malformed)
            return
        }
        let vault = draft.vaultFromResourceID.isNone ? draft.vaultFromResourceName : draft.vaultFromResourceID
        guard !vault.isNone else {
            problem("record has no resourceId naming its vault", .malformed)
            return
        }
        guard !draft.operation.isNone else {
            problem("record has no operationName", .malformed)
            return
        }
        let outcome: Outcome
        if draft.httpStatusCode != 0 {
            outcome = Outcome(httpStatusCode: Int(draft.httpStatusCode))
        } else if !draft.resultSignature.isNone {
            if let known = outcomeBySignature[draft.resultSignature] {
                outcome = known
            } else {
                let mapped = Outcome(resultSignature: symbols.string(draft.resultSignature) ?? "")
                outcomeBySignature[draft.resultSignature] = mapped
                outcome = mapped
            }
        } else {
            outcome = .unknown
        }
        // The record's identity is made here, on the decoding threads, not on the detector's.
        let identity = RecordIdentities.identity(
            time: time, correlation: draft.correlation, vault: vault, operation: draft.operation, principalID: draft.principalID,
            appID: draft.appID, callerIP: draft.callerIP, httpStatusCode: draft.httpStatusCode, durationMs: draft.durationMs,
            names: &nameDigests)
        batch.events.append(AuditEvent(
            time: time, vault: vault, resourceID: draft.resourceID, operation: draft.operation,
            operationVersion: draft.operationVersion, principalID: draft.principalID, upn: draft.upn,
            appID: draft.appID, callerIP: draft.callerIP, httpStatusCode: draft.httpStatusCode,
            resultSignature: draft.resultSignature, outcome: outcome, objectKind: draft.objectKind,
            objectName: draft.objectName, clientInfo: draft.clientInfo, grantedPrincipalID: draft.grantedPrincipalID,
            durationMs: draft.durationMs, identity: identity,
            location: RecordLocation(source: context.source, line: UInt32(clamping: line))))
    }
}
