import Foundation

/// Choosing reviewers is set multicover: every requirement needs `demand` units from the candidates
/// chosen among its members (a person gives one approval; a team whose members are unknown gives
/// all the approvals it is asked for), and the set should be as small as possible.
public struct CoverProblem: Sendable, Hashable {
    public struct Requirement: Sendable, Hashable {
        /// Candidate indices, each at most once.
        public var members: [Int]
        /// What each member contributes, parallel to `members`.
        public var units: [Int]
        public var demand: Int

        public init(members: [Int], units: [Int]? = nil, demand: Int = 1) {
            self.members = members
            self.units = units ?? Array(repeating: 1, count: members.count)
            self.demand = demand
        }
    }

    public var candidateCount: Int
    public var requirements: [Requirement]
    /// Expertise of each candidate: among sets of the same size, the larger total wins.
    public var weights: [Int]
    /// A seeded order of the candidates: among sets of the same size and expertise, the one whose
    /// sorted ranks come first wins.
    public var ranks: [UInt64]

    public init(candidateCount: Int, requirements: [Requirement], weights: [Int]? = nil, ranks: [UInt64]? = nil) {
        self.candidateCount = candidateCount
        self.requirements = requirements
        self.weights = weights ?? Array(repeating: 0, count: candidateCount)
        self.ranks = ranks ?? (0..<candidateCount).map(UInt64.init)
    }
}

public struct CoverSolution: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable {
        /// Searched exhaustively: no smaller set exists, and ties were settled over every smallest set.
        case exact
        /// The greedy approximation: at most `bound` times the size of the smallest set.
        case greedy
    }

    /// Chosen candidates, ascending.
    public var chosen: [Int]
    public var method: Method
    /// Guaranteed ratio to the optimum: 1 when exact, H(d) for greedy, d being the most units one
    /// candidate can contribute (Dobson 1982; ln d + 1 at most).
    public var bound: Double
    /// No set that satisfies every requirement has fewer members.
    public var lowerBound: Int
}

public enum CoverSolver {
    /// Exact when there are at most `exactLimit` candidates (2^20 subsets at most, searched with
    /// pruning) and the search stays within `nodeBudget` steps; greedy otherwise. Every
    /// requirement's demand must be reachable from its members.
    public static func solve(_ problem: CoverProblem, exactLimit: Int = 20, nodeBudget: Int = 2_000_000) -> CoverSolution {
        let lower = lowerBound(problem)
        if problem.requirements.allSatisfy({ $0.demand <= 0 }) {
            return CoverSolution(chosen: [], method: .exact, bound: 1, lowerBound: 0)
        }
        if problem.candidateCount <= exactLimit, let chosen = exact(problem, from: lower, budget: nodeBudget) {
            return CoverSolution(chosen: chosen, method: .exact, bound: 1, lowerBound: chosen.count)
        }
        return CoverSolution(chosen: greedy(problem), method: .greedy, bound: harmonic(maxContribution(problem)), lowerBound: lower)
    }

    /// H(n) = 1 + 1/2 + ... + 1/n. Summed up to `harmonicSumLimit`; beyond, the asymptotic
    /// expansion (off by less than 1/(120 n^4)), since n can be as large as any demand.
    static func harmonic(_ n: Int) -> Double {
        guard n > 0 else { return 1 }
        guard n > harmonicSumLimit else { return (1...n).reduce(0.0) { $0 + 1.0 / Double($1) } }
        let x = Double(n)
        return log(x) + eulerGamma + 1 / (2 * x) - 1 / (12 * x * x)
    }

    static let harmonicSumLimit = 10_000
    static let eulerGamma = 0.577_215_664_901_532_9

    /// a + b, or Int.max / Int.min where it would overflow: units and demands come from user input
    /// (approval counts, teams asked whole), and an exaggerated total only makes a bound looser.
    static func saturatingAdd(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b > 0 ? .max : .min
    }

    static func saturatingSum<S: Sequence>(_ values: S) -> Int where S.Element == Int {
        values.reduce(0, saturatingAdd)
    }

    /// ceil(a / b) for a >= 0, b >= 1, without forming a + b - 1.
    static func ceilingDivide(_ a: Int, _ b: Int) -> Int {
        a / b + (a % b == 0 ? 0 : 1)
    }

    /// The most units any one candidate can contribute over all requirements (each capped at demand).
    static func maxContribution(_ problem: CoverProblem) -> Int {
        var total = Array(repeating: 0, count: problem.candidateCount)
        for requirement in problem.requirements where requirement.demand > 0 {
            for (member, units) in zip(requirement.members, requirement.units) {
                total[member] = saturatingAdd(total[member], min(units, requirement.demand))
            }
        }
        return total.max() ?? 0
    }

    /// Every requirement needs ceil(demand / largest unit) members of its own, and all demand
    /// together needs total / (most one candidate gives).
    static func lowerBound(_ problem: CoverProblem) -> Int {
        var bound = 0
        var total = 0
        for requirement in problem.requirements where requirement.demand > 0 {
            let largest = max(1, requirement.units.max() ?? 1)
            bound = max(bound, ceilingDivide(requirement.demand, largest))
            total = saturatingAdd(total, requirement.demand)
        }
        let most = maxContribution(problem)
        if most > 0 { bound = max(bound, ceilingDivide(total, most)) }
        return bound
    }

    /// Tries sizes from `from` upwards; at the first size with any cover, keeps the best by
    /// expertise, then seeded rank. Nil when no subset covers (a demand out of reach), or when the
    /// search would take more than `budget` steps.
    static func exact(_ problem: CoverProblem, from: Int, budget: Int) -> [Int]? {
        let n = problem.candidateCount
        let requirements = problem.requirements.filter { $0.demand > 0 }
        // suffix[r][i]: units requirement r can still get from candidates i..<n.
        var suffix = Array(repeating: Array(repeating: 0, count: n + 1), count: requirements.count)
        var contributions = Array(repeating: [(Int, Int)](), count: n)
        var largest = Array(repeating: 1, count: requirements.count)
        for (r, requirement) in requirements.enumerated() {
            for (member, units) in zip(requirement.members, requirement.units) {
                contributions[member].append((r, units))
                suffix[r][member] = saturatingAdd(suffix[r][member], units)
            }
            for i in stride(from: n - 1, through: 0, by: -1) { suffix[r][i] = saturatingAdd(suffix[r][i], suffix[r][i + 1]) }
            largest[r] = max(1, requirement.units.max() ?? 1)
        }
        guard requirements.indices.allSatisfy({ suffix[$0][0] >= requirements[$0].demand }) else { return nil }

        var residual = requirements.map(\.demand)
        var chosen: [Int] = []
        // What each chosen candidate took from each residual, in choice order, to give it back.
        var taken: [Int] = []
        var best: [Int]?
        var steps = 0

        func search(_ next: Int, _ size: Int) {
            steps += 1
            if steps > budget { return }
            let slots = size - chosen.count
            var needed = 0
            for r in residual.indices where residual[r] > 0 {
                if suffix[r][next] < residual[r] { return }
                needed = max(needed, ceilingDivide(residual[r], largest[r]))
            }
            if needed == 0 {
                if chosen.count == size, best.map({ prefers(chosen, $0, problem) }) ?? true { best = chosen }
                return
            }
            if needed > slots || n - next < slots { return }
            for candidate in next..<n {
                if n - candidate < slots { return }
                // Only candidates that help an unmet requirement can be part of a smallest cover.
                guard contributions[candidate].contains(where: { residual[$0.0] > 0 }) else { continue }
                // Take no more than is still needed, so residuals stay within 0...demand whatever the units.
                let mark = taken.count
                for (r, units) in contributions[candidate] {
                    let amount = min(units, max(0, residual[r]))
                    residual[r] -= amount
                    taken.append(amount)
                }
                chosen.append(candidate)
                search(candidate + 1, size)
                chosen.removeLast()
                for (offset, (r, _)) in contributions[candidate].enumerated() { residual[r] += taken[mark + offset] }
                taken.removeSubrange(mark...)
            }
        }

        let start = max(from, 1)
        guard start <= n else { return nil }
        for size in start...n {
            search(0, size)
            if steps > budget { return nil }
            if best != nil { return best }
        }
        return nil
    }

    /// Among sets of equal size: more expertise, then the seeded order, then index order.
    static func prefers(_ a: [Int], _ b: [Int], _ problem: CoverProblem) -> Bool {
        let weightA = saturatingSum(a.lazy.map { problem.weights[$0] })
        let weightB = saturatingSum(b.lazy.map { problem.weights[$0] })
        if weightA != weightB { return weightA > weightB }
        let ranksA = a.map { problem.ranks[$0] }.sorted()
        let ranksB = b.map { problem.ranks[$0] }.sorted()
        if ranksA != ranksB { return ranksA.lexicographicallyPrecedes(ranksB) }
        return a.sorted().lexicographicallyPrecedes(b.sorted())
    }

    /// Repeatedly takes the candidate that meets the most unmet demand (ties: expertise, then the
    /// seeded order), then drops any pick the others make redundant, latest first.
    ///
    /// Lazily: a candidate's gain only falls as others are picked, so a heap of gains computed
    /// earlier has the best candidate on top once the top's gain, computed again, is still what
    /// the heap held. The choice is the one a scan of every candidate makes, without a scan per
    /// pick (20,000 sections of one owner each took minutes).
    static func greedy(_ problem: CoverProblem) -> [Int] {
        var residual = problem.requirements.map { max(0, $0.demand) }
        var unmet = residual.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        var contributions = Array(repeating: [(Int, Int)](), count: problem.candidateCount)
        for (r, requirement) in problem.requirements.enumerated() {
            for (member, units) in zip(requirement.members, requirement.units) { contributions[member].append((r, units)) }
        }
        func gain(_ candidate: Int) -> Int {
            saturatingSum(contributions[candidate].lazy.map { min($0.1, residual[$0.0]) })
        }
        var heap = GainHeap(problem)
        for candidate in 0..<problem.candidateCount {
            let gain = gain(candidate)
            if gain > 0 { heap.push(gain: gain, candidate: candidate) }
        }
        var picked: [Int] = []
        while unmet > 0, let top = heap.pop() {
            let current = gain(top.candidate)
            guard current > 0 else { continue }
            if current < top.gain {
                heap.push(gain: current, candidate: top.candidate)
                continue
            }
            picked.append(top.candidate)
            for (r, units) in contributions[top.candidate] where residual[r] > 0 {
                residual[r] -= min(units, residual[r])
                if residual[r] == 0 { unmet -= 1 }
            }
        }
        // Drop redundant picks: the cover stays a cover, so the bound still holds. Only the
        // requirements a pick belongs to can come short without it.
        guard covers(picked, problem) else { return picked.sorted() }
        var kept = Set(picked)
        var got = Array(repeating: 0, count: problem.requirements.count)
        for candidate in picked {
            for (r, units) in contributions[candidate] { got[r] = saturatingAdd(got[r], units) }
        }
        for candidate in picked.reversed() {
            kept.remove(candidate)
            var redundant = true
            for (r, units) in contributions[candidate] where problem.requirements[r].demand > 0 {
                // A saturated total cannot be taken from: count it again without the candidate.
                let without = got[r] == .max ? unitsGiven(to: problem.requirements[r], by: kept) : got[r] - units
                if without < problem.requirements[r].demand {
                    redundant = false
                    break
                }
            }
            if redundant {
                for (r, units) in contributions[candidate] where got[r] != .max { got[r] -= units }
            } else {
                kept.insert(candidate)
            }
        }
        return kept.sorted()
    }

    private static func unitsGiven(to requirement: CoverProblem.Requirement, by chosen: Set<Int>) -> Int {
        var total = 0
        for (member, units) in zip(requirement.members, requirement.units) where chosen.contains(member) { total = saturatingAdd(total, units) }
        return total
    }

    /// Candidates by gain, then as `prefers` orders single candidates: expertise, seeded rank, index.
    private struct GainHeap {
        let weights: [Int]
        let ranks: [UInt64]
        private var items: [(gain: Int, candidate: Int)] = []

        init(_ problem: CoverProblem) {
            weights = problem.weights
            ranks = problem.ranks
        }

        private func better(_ a: (gain: Int, candidate: Int), _ b: (gain: Int, candidate: Int)) -> Bool {
            if a.gain != b.gain { return a.gain > b.gain }
            let (x, y) = (a.candidate, b.candidate)
            if weights[x] != weights[y] { return weights[x] > weights[y] }
            if ranks[x] != ranks[y] { return ranks[x] < ranks[y] }
            return x < y
        }

        mutating func push(gain: Int, candidate: Int) {
            items.append((gain, candidate))
            var child = items.count - 1
            while child > 0 {
                let parent = (child - 1) / 2
                guard better(items[child], items[parent]) else { break }
                items.swapAt(parent, child)
                child = parent
            }
        }

        mutating func pop() -> (gain: Int, candidate: Int)? {
            guard let top = items.first else { return nil }
            items.swapAt(0, items.count - 1)
            items.removeLast()
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < items.count, better(items[left], items[best]) { best = left }
                if right < items.count, better(items[right], items[best]) { best = right }
                guard best != parent else { return top }
                items.swapAt(parent, best)
                parent = best
            }
        }
    }

    static func covers(_ chosen: [Int], _ problem: CoverProblem) -> Bool {
        let set = Set(chosen)
        for requirement in problem.requirements where requirement.demand > 0 {
            var got = 0
            for (member, units) in zip(requirement.members, requirement.units) where set.contains(member) { got = saturatingAdd(got, units) }
            if got < requirement.demand { return false }
        }
        return true
    }
}
