/// Minimizes a smooth convex function with L-BFGS (or steepest descent) and a backtracking (Armijo) line search.
///
/// Deterministic: no randomness, a fixed order of operations, so the same problem gives the same bits.
struct LBFGSMinimizer {
    struct Result {
        var point: [Double]
        var value: Double
        var iterations: Int
        var converged: Bool
    }

    /// Correction pairs kept; 0 means steepest descent.
    var memory: Int
    var maximumIterations: Int
    /// Converged when the largest gradient component is at most this.
    var gradientTolerance: Double
    /// The first step tried along the steepest-descent direction (when `memory` is 0, or at the first iteration).
    var initialStep: Double

    /// Minimizes `objective`, which returns the value at a point and writes the gradient into its second argument.
    func minimize(from start: [Double], _ objective: ([Double], inout [Double]) -> Double) -> Result {
        let dimension = start.count
        var point = start
        var gradient = [Double](repeating: 0, count: dimension)
        var value = objective(point, &gradient)
        var steps: [[Double]] = []       // s_k = x_{k+1} - x_k
        var changes: [[Double]] = []     // y_k = g_{k+1} - g_k
        var curvatures: [Double] = []    // 1 / (y_k · s_k)
        var iterations = 0
        var candidate = [Double](repeating: 0, count: dimension)
        var candidateGradient = [Double](repeating: 0, count: dimension)
        while iterations < maximumIterations {
            if Self.maximumMagnitude(gradient) <= gradientTolerance { return Result(point: point, value: value, iterations: iterations, converged: true) }
            iterations += 1
            // Direction: -H·g by the two-loop recursion (H = identity scaled by the last pair's curvature).
            var direction = gradient
            var alphas = [Double](repeating: 0, count: steps.count)
            for pair in stride(from: steps.count - 1, through: 0, by: -1) {
                alphas[pair] = curvatures[pair] * Self.dot(steps[pair], direction)
                Self.addScaled(&direction, changes[pair], -alphas[pair])
            }
            if let lastStep = steps.last, let lastChange = changes.last {
                let scale = Self.dot(lastStep, lastChange) / Self.dot(lastChange, lastChange)
                for index in direction.indices { direction[index] *= scale }
            }
            for pair in steps.indices {
                let beta = curvatures[pair] * Self.dot(changes[pair], direction)
                Self.addScaled(&direction, steps[pair], alphas[pair] - beta)
            }
            for index in direction.indices { direction[index] = -direction[index] }
            var slope = Self.dot(gradient, direction)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                steps.removeAll(); changes.removeAll(); curvatures.removeAll()
                direction = gradient.map { -$0 }
                slope = Self.dot(gradient, direction)
            }
            var step = steps.isEmpty ? min(initialStep, initialStep / max(Self.norm(gradient), 1e-300) ) : 1.0
            if memory == 0 { step = initialStep }
            // Backtracking until the Armijo condition holds.
            var candidateValue = Double.infinity
            var accepted = false
            for _ in 0..<60 {
                for index in 0..<dimension { candidate[index] = point[index] + step * direction[index] }
                candidateValue = objective(candidate, &candidateGradient)
                if candidateValue.isFinite && candidateValue <= value + 1e-4 * step * slope {
                    accepted = true
                    break
                }
                step *= 0.5
            }
            guard accepted else { return Result(point: point, value: value, iterations: iterations, converged: false) }
            if memory > 0 {
                var s = [Double](repeating: 0, count: dimension), y = s
                for index in 0..<dimension {
                    s[index] = candidate[index] - point[index]
                    y[index] = candidateGradient[index] - gradient[index]
                }
                let sy = Self.dot(s, y)
                if sy > 1e-12 * Self.dot(y, y) && sy > 0 {
                    if steps.count == memory { steps.removeFirst(); changes.removeFirst(); curvatures.removeFirst() }
                    steps.append(s)
                    changes.append(y)
                    curvatures.append(1 / sy)
                }
            }
            let previous = value
            swap(&point, &candidate)
            swap(&gradient, &candidateGradient)
            value = candidateValue
            // Stalled: no measurable progress (relative to the value's magnitude).
            if previous - value <= 1e-15 * max(abs(value), 1) {
                return Result(point: point, value: value, iterations: iterations,
                              converged: Self.maximumMagnitude(gradient) <= gradientTolerance * 100)
            }
        }
        return Result(point: point, value: value, iterations: iterations,
                      converged: Self.maximumMagnitude(gradient) <= gradientTolerance)
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum = 0.0
                for index in 0..<a.count { sum += a[index] * b[index] }
                return sum
            }
        }
    }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    static func maximumMagnitude(_ a: [Double]) -> Double {
        var maximum = 0.0
        for value in a { maximum = max(maximum, abs(value)) }
        return maximum
    }

    static func addScaled(_ target: inout [Double], _ source: [Double], _ factor: Double) {
        target.withUnsafeMutableBufferPointer { target in
            source.withUnsafeBufferPointer { source in
                for index in 0..<target.count { target[index] += factor * source[index] }
            }
        }
    }
}
