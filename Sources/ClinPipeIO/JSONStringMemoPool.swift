import ClinPipeCore
import Synchronization

/// The `JSONStringMemo`s of an encoder, lent to one encoding at a time, so that a document's strings that an earlier
/// document already wrote (types, stage and rule names, attribute keys: most of them in a corpus of letters) are one
/// copy each instead of a first write and a new memo per document.
///
/// Encodings run on many threads at once: each takes a memo out of the pool (a new one when the pool is empty) and
/// puts it back when done, so that no memo is used by two encodings at a time; there are at most as many memos as
/// encodings ever ran at once. A memo that grew past its limits (`JSONStringMemo.isFull`) is emptied before it goes
/// back. Output does not depend on which memo an encoding gets (a memo only saves work, see `JSONStringMemo`).
final class JSONStringMemoPool: Sendable {
    /// A memo in a reference, so that a pool can hold it (a noncopyable value). Only the encoding that took it out of
    /// the pool uses it.
    final class Lent: @unchecked Sendable {
        var memo: JSONStringMemo
        init(expectedStrings: Int) { memo = JSONStringMemo(expectedStrings: expectedStrings) }
    }

    private let idle = Mutex<[Lent]>([])
    /// The room a new memo starts with.
    private let expectedStrings: Int

    init(expectedStrings: Int) { self.expectedStrings = expectedStrings }

    /// Calls `body` with a memo that no other call uses at the same time.
    func withMemo<R>(_ body: (inout JSONStringMemo) -> R) -> R {
        let lent = idle.withLock { $0.popLast() } ?? Lent(expectedStrings: expectedStrings)
        defer {
            if lent.memo.isFull { lent.memo.removeAll() }
            idle.withLock { $0.append(lent) }
        }
        return body(&lent.memo)
    }
}
