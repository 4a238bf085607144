import Foundation
@testable import GatehouseCore
import PropertyBased
import Testing

/// One requirement drawn at random: a membership mask over up to 9 candidates, a demand of 1 to 3,
/// and perhaps one member that is a team (it gives the whole demand).
private let requirementParts = zip(Gen.int(in: 1...511), Gen.int(in: 1...3), Gen.int(in: 0...14))

/// A small instance: few enough candidates to try every subset.
private let smallInstance = zip(
    Gen.int(in: 1...9), requirementParts.array(of: 1...6), Gen.int(in: 0...3).array(of: 9), Gen.uint64(in: 0...4).array(of: 9)
).map { count, parts, weights, ranks in
    makeProblem(count: count, parts: parts, weights: Array(weights.prefix(count)), ranks: Array(ranks.prefix(count)))
}

private func makeProblem(count: Int, parts: [(Int, Int, Int)], weights: [Int], ranks: [UInt64]) -> CoverProblem {
    var requirements: [CoverProblem.Requirement] = []
    for (mask, demand, team) in parts {
        var members = (0..<count).filter { mask & (1 << $0) != 0 }
        if members.isEmpty { members = [mask % count] }
        var units = Array(repeating: 1, count: members.count)
        if let position = members.firstIndex(of: team) { units[position] = demand }
        // Demand within reach, as the planner guarantees (it reports the rest as unsatisfied).
        requirements.append(CoverProblem.Requirement(members: members, units: units, demand: min(demand, units.reduce(0, +))))
    }
    return CoverProblem(candidateCount: count, requirements: requirements, weights: weights, ranks: ranks)
}

private func covers(_ chosen: [Int], _ problem: CoverProblem) -> Bool {
    problem.requirements.allSatisfy { requirement in
        zip(requirement.members, requirement.units).filter { chosen.contains($0.0) }.reduce(0) { $0 + $1.1 } >= requirement.demand
    }
}

/// Every subset, best first by the documented order: fewest members, most expertise, the seeded
/// ranks (sorted) first, then candidate indices.
private func bruteForce(_ problem: CoverProblem) -> [Int] {
    var best: [Int]?
    for mask in 0..<(1 << problem.candidateCount) {
        let subset = (0..<problem.candidateCount).filter { mask & (1 << $0) != 0 }
        guard covers(subset, problem) else { continue }
        guard let current = best else { best = subset; continue }
        if subset.count != current.count {
            if subset.count < current.count { best = subset }
            continue
        }
        let weight = { (set: [Int]) in set.reduce(0) { $0 + problem.weights[$1] } }
        if weight(subset) != weight(current) {
            if weight(subset) > weight(current) { best = subset }
            continue
        }
        let ranks = { (set: [Int]) in set.map { problem.ranks[$0] }.sorted() }
        if ranks(subset) != ranks(current) {
            if ranks(subset).lexicographicallyPrecedes(ranks(current)) { best = subset }
            continue
        }
        if subset.lexicographicallyPrecedes(current) { best = subset }
    }
    return best ?? []
}

private func harmonic(_ n: Int) -> Double { n < 1 ? 1 : (1...n).reduce(0.0) { $0 + 1 / Double($1) } }

/// SplitMix64: large random instances from one seed.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Reviewers: the set-cover solver")
struct ReviewerSolverTests {
    @Test("exact search finds the same set as trying every subset, tie-breaks included")
    func exactAgreesWithBruteForce() async {
        await propertyCheck(count: 400, input: smallInstance) { problem in
            let solution = CoverSolver.solve(problem)
            #expect(solution.method == .exact)
            #expect(solution.bound == 1)
            #expect(solution.chosen == bruteForce(problem), "\(problem)")
            #expect(solution.lowerBound == solution.chosen.count)
        }
    }

    @Test("greedy covers everything, within H(d) of the optimum, and its lower bound is one")
    func greedyIsWithinItsBoundOfTheOptimum() async {
        await propertyCheck(count: 300, input: smallInstance) { problem in
            let greedy = CoverSolver.solve(problem, exactLimit: 0)
            let optimum = bruteForce(problem).count
            #expect(greedy.method == .greedy)
            #expect(covers(greedy.chosen, problem), "\(problem)")
            #expect(Double(greedy.chosen.count) <= greedy.bound * Double(optimum) + 1e-9, "\(problem)")
            #expect(greedy.lowerBound <= optimum, "\(problem)")
        }
    }

    /// The greedy choice as it was made before it was lazy: every candidate scanned per pick.
    private func scanningGreedy(_ problem: CoverProblem) -> [Int] {
        var residual = problem.requirements.map { max(0, $0.demand) }
        var contributions = Array(repeating: [(Int, Int)](), count: problem.candidateCount)
        for (r, requirement) in problem.requirements.enumerated() {
            for (member, units) in zip(requirement.members, requirement.units) { contributions[member].append((r, units)) }
        }
        var picked: [Int] = []
        var isPicked = Array(repeating: false, count: problem.candidateCount)
        while residual.contains(where: { $0 > 0 }) {
            var best: Int?
            var bestGain = 0
            for candidate in 0..<problem.candidateCount where !isPicked[candidate] {
                let gain = CoverSolver.saturatingSum(contributions[candidate].lazy.map { min($0.1, residual[$0.0]) })
                guard gain > 0 else { continue }
                if let current = best {
                    if gain < bestGain { continue }
                    if gain == bestGain, !CoverSolver.prefers([candidate], [current], problem) { continue }
                }
                best = candidate
                bestGain = gain
            }
            guard let choice = best else { break }
            picked.append(choice)
            isPicked[choice] = true
            for (r, units) in contributions[choice] { residual[r] -= min(units, residual[r]) }
        }
        var kept = picked
        for candidate in picked.reversed() {
            let without = kept.filter { $0 != candidate }
            if CoverSolver.covers(without, problem) { kept = without }
        }
        return kept.sorted()
    }

    @Test("the lazy greedy picks what scanning every candidate per pick picks")
    func lazyGreedyAgreesWithTheScan() async {
        await propertyCheck(count: 400, input: smallInstance) { problem in
            #expect(CoverSolver.greedy(problem) == scanningGreedy(problem), "\(problem)")
        }
        await propertyCheck(count: 30, input: Gen.uint64()) { seed in
            var random = SplitMix(state: seed)
            let count = Int.random(in: 20...80, using: &random)
            var requirements: [CoverProblem.Requirement] = []
            for _ in 0..<Int.random(in: 20...120, using: &random) {
                let members = Array((0..<count).shuffled(using: &random).prefix(Int.random(in: 1...6, using: &random)))
                let units = members.map { _ in Int.random(in: 0...4, using: &random) == 0 ? 3 : 1 }
                requirements.append(CoverProblem.Requirement(members: members, units: units, demand: min(Int.random(in: 1...3, using: &random), units.reduce(0, +))))
            }
            let problem = CoverProblem(
                candidateCount: count, requirements: requirements, weights: (0..<count).map { _ in Int.random(in: 0...2, using: &random) },
                ranks: (0..<count).map { _ in UInt64.random(in: 0...5, using: &random) })
            #expect(CoverSolver.greedy(problem) == scanningGreedy(problem), "\(seed)")
        }
    }

    @Test("large instances with a planted cover of k: greedy stays within H(d) x k")
    func greedyBoundOnLargeInstances() async {
        await propertyCheck(count: 40, input: Gen.uint64()) { seed in
            var random = SplitMix(state: seed)
            let count = Int.random(in: 60...150, using: &random)
            let planted = Array((0..<count).shuffled(using: &random).prefix(Int.random(in: 4...12, using: &random)))
            var requirements: [CoverProblem.Requirement] = []
            for _ in 0..<Int.random(in: 100...300, using: &random) {
                let demand = Int.random(in: 1...2, using: &random)
                var members = Set(planted.shuffled(using: &random).prefix(demand))
                for _ in 0..<Int.random(in: 0...8, using: &random) { members.insert(Int.random(in: 0..<count, using: &random)) }
                requirements.append(CoverProblem.Requirement(members: members.sorted(), demand: demand))
            }
            let problem = CoverProblem(
                candidateCount: count, requirements: requirements, weights: (0..<count).map { _ in Int.random(in: 0...5, using: &random) },
                ranks: (0..<count).map { _ in random.next() })
            let solution = CoverSolver.solve(problem)
            #expect(solution.method == .greedy)
            #expect(covers(solution.chosen, problem))
            // d: the most demand one candidate can meet.
            var most = Array(repeating: 0, count: count)
            for requirement in requirements { for member in requirement.members { most[member] += 1 } }
            #expect(abs(solution.bound - harmonic(most.max()!)) < 1e-9)
            #expect(solution.bound <= log(Double(most.max()!)) + 1)
            #expect(Double(solution.chosen.count) <= solution.bound * Double(planted.count))
            #expect(solution.lowerBound <= planted.count)
        }
    }

    @Test func exactUpToTwentyCandidatesGreedyBeyond() {
        let wide = CoverProblem(candidateCount: 21, requirements: (0..<21).map { CoverProblem.Requirement(members: [$0]) })
        #expect(CoverSolver.solve(wide).method == .greedy)
        #expect(CoverSolver.solve(wide).chosen == Array(0..<21))
        let twenty = CoverProblem(candidateCount: 20, requirements: (0..<20).map { CoverProblem.Requirement(members: [$0, ($0 + 1) % 20]) })
        let solution = CoverSolver.solve(twenty)
        #expect(solution.method == .exact)
        #expect(solution.chosen.count == 10)
    }

    @Test func aSearchOverItsBudgetFallsBackToGreedyAndSaysSo() {
        let ring = CoverProblem(candidateCount: 20, requirements: (0..<20).map { CoverProblem.Requirement(members: [$0, ($0 + 1) % 20]) })
        let solution = CoverSolver.solve(ring, nodeBudget: 100)
        #expect(solution.method == .greedy)
        #expect(covers(solution.chosen, ring))
        #expect(solution.lowerBound == 10)
    }

    @Test("twenty candidates and hundreds of requirements are searched exactly within the budget")
    func exactSearchOfARealisticSizeFinishes() {
        var random = SplitMix(state: 42)
        let requirements = (0..<300).map { _ in
            CoverProblem.Requirement(members: Array(Set((0..<3).map { _ in Int.random(in: 0..<20, using: &random) })).sorted())
        }
        let problem = CoverProblem(candidateCount: 20, requirements: requirements)
        let solution = CoverSolver.solve(problem)
        #expect(solution.method == .exact)
        #expect(covers(solution.chosen, problem))
        #expect(solution.chosen.count <= CoverSolver.solve(problem, exactLimit: 0).chosen.count)
    }

    @Test func greedyDropsPicksTheOthersMakeRedundant() {
        // The classic trap: one candidate covers the most at first, but two others cover everything.
        let problem = CoverProblem(candidateCount: 3, requirements: [
            .init(members: [0, 1]), .init(members: [0, 1]), .init(members: [0, 2]), .init(members: [0, 2]),
            .init(members: [1]), .init(members: [2]),
        ])
        #expect(CoverSolver.solve(problem).chosen == [1, 2])
        let greedy = CoverSolver.solve(problem, exactLimit: 0)
        // Greedy takes 0 first (4 units); then needs 1 and 2, and the redundant 0 is dropped again.
        #expect(greedy.chosen == [1, 2])
        #expect(abs(greedy.bound - harmonic(4)) < 1e-9)
    }

    @Test func nothingToCoverNeedsNobody() {
        let solution = CoverSolver.solve(CoverProblem(candidateCount: 3, requirements: []))
        #expect(solution.chosen.isEmpty && solution.method == .exact)
    }

    @Test func fnv1aIsTheStandardFunction() {
        // Reference values of 64-bit FNV-1a.
        #expect(StableHash.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(StableHash.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(StableHash.fnv1a("foobar") == 0x8594_4171_f739_67e8)
    }
}
