/// What each annotation type of a document is to the stage (`ContextStage.kind(of:sentenceType:filter:)`),
/// remembered per type seen.
///
/// Searched linearly, the last answer first: a document has a handful of types, they come in runs, and equal type
/// strings usually share storage, so comparing is cheaper than hashing. Unequal lengths settle most comparisons
/// without comparing bytes (canonically equal types of different lengths only get an entry each, with the same
/// answer). A struct with a mutating method rather than a closure over local variables: captured variables are
/// boxed and every access to them is checked for exclusivity at run time.
struct TypeKinds {
    let sentenceType: String
    let filter: CompiledTypeFilter
    private var seen: [(type: String, length: Int, kind: UInt8)] = []
    private var last = -1

    init(sentenceType: String, filter: CompiledTypeFilter) {
        self.sentenceType = sentenceType
        self.filter = filter
        // A document has a handful of types: one allocation instead of growing step by step.
        seen.reserveCapacity(16)
    }

    mutating func kind(of type: String) -> UInt8 {
        let length = type.utf8.count
        if last >= 0 && seen[last].length == length && seen[last].type == type { return seen[last].kind }
        if let index = seen.firstIndex(where: { $0.length == length && $0.type == type }) {
            last = index
            return seen[index].kind
        }
        let kind = ContextStage.kind(of: type, sentenceType: sentenceType, filter: filter)
        seen.append((type, length, kind))
        last = seen.count - 1
        return kind
    }
}
