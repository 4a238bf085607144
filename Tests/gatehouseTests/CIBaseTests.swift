import Foundation
import GatehouseTestSupport
import Testing

@Suite("the base from CI variables")
struct CIBaseTests {
    /// GitLab's merged-results pipelines build the merge of the source branch into the target's
    /// current tip. Diffing from the merge request's old merge base would count everything that
    /// landed on the target since as part of the merge request.
    @Test func gitLabMergedResultsPipelinesDiffFromTheTargetsTip() throws {
        let repo = try TestRepository()
        try repo.write("src/a.py", "a = 1\n")
        let forkPoint = try repo.commit("base")
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.write("src/feature.py", "f = 1\n")
        try repo.commit("feature work")
        try repo.git(["checkout", "-q", "main"])
        try repo.write("src/b.py", "b = 1\n")
        let target = try repo.commit("landed on main meanwhile")
        try repo.git(["merge", "-q", "--no-ff", "--no-edit", "feature"])
        let environment = [
            "GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": forkPoint, "CI_MERGE_REQUEST_TARGET_BRANCH_SHA": target,
        ]
        let diff = try GatehouseCLI.run(["diff"], in: repo.path, environment: environment)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.output.contains("src/feature.py") && !diff.output.contains("src/b.py"), "\(diff.output)")
        // In CI, the base is said without --verbose.
        #expect(diff.stderr.contains("from CI_MERGE_REQUEST_TARGET_BRANCH_SHA=\(target) (GitLab merged results pipeline)"), "\(diff.stderr)")

        // A plain merge request pipeline (no target sha) keeps the merge request's own base.
        try repo.git(["checkout", "-q", "feature"])
        let plain = try GatehouseCLI.run(["diff"], in: repo.path, environment: ["GITLAB_CI": "true", "CI_MERGE_REQUEST_DIFF_BASE_SHA": forkPoint])
        #expect(plain.output.contains("src/feature.py") && !plain.output.contains("src/b.py"), "\(plain.output)")
    }
}
