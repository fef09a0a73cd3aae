import CDSDatabase
import CDSReports

/// SplitMix64: a small, fast generator whose sequence depends only on its seed, so that a demo seed
/// produces the same people on every machine and every run.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    package init(seed: UInt64) {
        state = seed
    }

    /// A seed from a text label (FNV-1a), so that each district gets its own stable stream.
    package init(label: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in label.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        self.init(seed: hash)
    }

    package mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// An element chosen with probability proportional to its weight.
    package mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        var pick = Int.random(in: 0..<choices.map { _, weight in weight }.reduce(0, +), using: &self)
        for (value, weight) in choices {
            if pick < weight { return value }
            pick -= weight
        }
        let (last, _) = choices[choices.count - 1]
        return last
    }

    package mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &self) < percent
    }
}
