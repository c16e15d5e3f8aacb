import ClinPipeCore

/// Assigns examples to cross-validation folds by group: all examples of a group land in the same fold.
///
/// Deterministic from the seed. Groups are shuffled with `SplitMix64(seed)` (in byte order of their ids first, so
/// that the input order of the examples does not matter), then placed largest first (a stable sort, so equal sizes
/// keep the shuffled order), each into the fold where it fits best:
/// - stratified: the fold where adding the group's label counts least increases the squared distance between
///   the folds' label counts and their targets (each label's total divided by the number of folds), ties going to
///   the smaller fold, then the lower fold number;
/// - not stratified: the fold with the fewest examples, ties to the lower fold number.
/// Examples with a nil group are groups of their own.
public enum GroupFolds {
    /// The fold (0..<`folds`) of each example, in the order of `examples`.
    /// - Throws: `ClassifierError.invalidCrossValidation` when `folds` < 2 or there are fewer groups than folds.
    public static func assign(_ examples: [LabeledText], folds: Int, seed: UInt64, stratified: Bool = true) throws -> [Int] {
        try assign(labels: examples.map(\.label), groups: examples.map(\.group), folds: folds, seed: seed, stratified: stratified)
    }

    /// The fold of each example given as parallel arrays of labels and groups.
    public static func assign(labels: [String], groups: [String?], folds: Int, seed: UInt64, stratified: Bool = true) throws -> [Int] {
        precondition(labels.count == groups.count, "labels and groups differ in length")
        guard folds >= 2 else { throw ClassifierError.invalidCrossValidation("at least 2 folds are needed, not \(folds)") }
        // Group ids; an ungrouped example gets an id no real group can have (a leading NUL plus its position).
        let ids = groups.enumerated().map { $1 ?? "\u{0}#\($0)" }
        var members: [String: [Int]] = [:]
        for (index, id) in ids.enumerated() { members[id, default: []].append(index) }
        guard members.count >= folds else {
            throw ClassifierError.invalidCrossValidation("\(members.count) groups cannot fill \(folds) folds")
        }
        let labelList = Array(Set(labels)).sorted(by: bytesPrecede)
        let labelIndex = Dictionary(uniqueKeysWithValues: labelList.enumerated().map { ($1, $0) })
        var order = members.keys.sorted(by: bytesPrecede)
        var generator = SplitMix64(seed: seed)
        generator.shuffle(&order)
        // Stable sort by size, largest first.
        order = order.enumerated().sorted {
            let (first, second) = (members[$0.element]!.count, members[$1.element]!.count)
            return first != second ? first > second : $0.offset < $1.offset
        }.map(\.element)

        var labelTotals = [Double](repeating: 0, count: labelList.count)
        for label in labels { labelTotals[labelIndex[label]!] += 1 }
        let targets = labelTotals.map { $0 / Double(folds) }
        var foldLabelCounts = [[Double]](repeating: [Double](repeating: 0, count: labelList.count), count: folds)
        var foldSizes = [Int](repeating: 0, count: folds)
        var assignment = [Int](repeating: 0, count: labels.count)
        for id in order {
            let indices = members[id]!
            var groupCounts = [Double](repeating: 0, count: labelList.count)
            for index in indices { groupCounts[labelIndex[labels[index]]!] += 1 }
            var best = 0
            var bestCost = Double.infinity
            for fold in 0..<folds {
                var cost = 0.0
                if stratified {
                    for label in labelList.indices where groupCounts[label] > 0 {
                        let before = foldLabelCounts[fold][label] - targets[label]
                        let after = before + groupCounts[label]
                        cost += after * after - before * before
                    }
                }
                let better = stratified
                    ? cost < bestCost - 1e-9 || (abs(cost - bestCost) <= 1e-9 && foldSizes[fold] < foldSizes[best])
                    : foldSizes[fold] < foldSizes[best]
                if fold == 0 || better {
                    best = fold
                    bestCost = cost
                }
            }
            for label in labelList.indices { foldLabelCounts[best][label] += groupCounts[label] }
            foldSizes[best] += indices.count
            for index in indices { assignment[index] = best }
        }
        return assignment
    }
}
