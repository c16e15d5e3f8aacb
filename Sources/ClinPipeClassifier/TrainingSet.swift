/// Training vectors in compressed sparse rows, with class indices and example weights: the input of the
/// optimizers. Rows keep the order of the examples.
struct TrainingSet {
    /// Row r's entries are `columns[rowStart[r]..<rowStart[r + 1]]` and the same range of `values`.
    var rowStart: [Int] = [0]
    var columns: [Int32] = []
    var values: [Double] = []
    /// The class index of each row.
    var classes: [Int] = []
    /// The weight of each row (its class weight).
    var weights: [Double] = []
    let featureCount: Int
    let classCount: Int

    init(featureCount: Int, classCount: Int) {
        self.featureCount = featureCount
        self.classCount = classCount
    }

    var rowCount: Int { classes.count }

    mutating func append(_ vector: SparseVector, classIndex: Int, weight: Double) {
        columns += vector.indices
        values += vector.values
        rowStart.append(columns.count)
        classes.append(classIndex)
        weights.append(weight)
    }
}
