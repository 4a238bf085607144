import Foundation
import GatehouseCore
import GatehouseGit

/// What review will ask of a change: its checklists and suggested reviewers, for the
/// pull-request comment of `check` and the summary of the pre-push hook.
enum ReviewAdvice {
    /// The applicable checklists and the suggested reviewers. Advice never decides a verdict: a
    /// broken teams.yml or checklist becomes a note (`gatehouse reviewers` and `gatehouse
    /// checklist` report it as an error).
    static func gatherOrNote(
        repository: Repository, rules: JudgingRules, change: ChangeSet, checklist: Bool, reviewers: Bool
    ) -> (checklists: [AppliedChecklist], reviewers: ReviewerSuggestion?, note: String?) {
        var checklists: [AppliedChecklist] = []
        var suggestion: ReviewerSuggestion?
        var notes: [String] = []
        if checklist {
            do {
                checklists = Checklists.applicable(try rules.checklists() ?? [], to: change.files)
            } catch {
                notes.append("no checklist: \(error.description)")
            }
        }
        if reviewers {
            do {
                suggestion = try suggestReviewers(repository: repository, judging: rules, change: change)
                if let found = suggestion, found.reviewers.isEmpty, found.unsatisfied.isEmpty { suggestion = nil }
            } catch where error.kind == .noRules {
                // A repository without ownership rules has nobody to suggest; that is no error here.
            } catch {
                notes.append("no reviewer suggestion: \(error.description)")
            }
        }
        return (checklists, suggestion, notes.isEmpty ? nil : notes.joined(separator: "; "))
    }

    /// Two short lines for the hook: whom to ask, and which checklists review will use.
    /// The same advice as `hookSummary`, as clauses of a passing push's one line.
    static func hookClauses(checklists: [AppliedChecklist], reviewers: ReviewerSuggestion?) -> [String] {
        var clauses: [String] = []
        if let reviewers {
            var text = "reviewers: " + (reviewers.reviewers.isEmpty ? "none available" : reviewers.reviewers.map(\.name).joined(separator: ", "))
            if !reviewers.unsatisfied.isEmpty { text += " (\(reviewers.unsatisfied.count) requirement\(reviewers.unsatisfied.count == 1 ? "" : "s") nobody can meet)" }
            clauses.append(text)
        }
        if !checklists.isEmpty {
            clauses.append("checklist: " + checklists.map { $0.checklist.title + ($0.checklist.isRequired ? " (required)" : "") }.joined(separator: ", "))
        }
        return clauses
    }

    static func hookSummary(checklists: [AppliedChecklist], reviewers: ReviewerSuggestion?) -> String {
        var out = ""
        if let reviewers {
            let names = reviewers.reviewers.map { reviewer in
                let first = reviewer.covers.first.map { PathQuoting.quote($0) } ?? ""
                let more = reviewer.covers.count > 1 ? " and \(reviewer.covers.count - 1) more" : ""
                return "\(reviewer.name) for \(first)\(more)"
            }
            out += "  reviewers: \(names.isEmpty ? "none available" : names.joined(separator: ", "))"
            if !reviewers.unsatisfied.isEmpty {
                out += "; \(reviewers.unsatisfied.count) requirement\(reviewers.unsatisfied.count == 1 ? "" : "s") nobody can meet"
            }
            out += " (gatehouse reviewers says why)\n"
        }
        if !checklists.isEmpty {
            let titles = checklists.map { applied in
                "\(applied.checklist.title) (\(applied.checklist.isRequired ? "required, " : "")\(applied.items.count) item\(applied.items.count == 1 ? "" : "s"))"
            }
            out += "  checklist: \(titles.joined(separator: ", ")): gatehouse checklist prints it for the pull request\n"
        }
        return out
    }
}
