/// A checklist `gatehouse init` writes, with globs chosen per detected language.
///
/// Each carries example paths that must and must not trigger it, as SwiftLint's rules carry
/// triggering and non-triggering examples: the tests are generated from them, so a glob that
/// stops matching what the checklist is for fails a test.
public struct StarterChecklist: Sendable {
    public struct Example: Sendable, CustomStringConvertible {
        public var path: String
        public var triggers: Bool
        /// The language that must be detected for the example to hold; nil: any language.
        public var language: StarterLanguage?

        public var description: String { "\(path) \(triggers ? "triggers" : "does not trigger")\(language.map { " (\($0.name))" } ?? "")" }
    }

    /// The file name without `.md`.
    public var name: String
    public var title: String
    public var isRequired: Bool
    /// Globs for every repository.
    var common: [String]
    var perLanguage: [StarterLanguage: [String]]
    /// Used instead of the per-language globs when no language is detected.
    var fallback: [String]
    var exclude: (@Sendable ([StarterLanguage]) -> [String])?
    /// The Markdown body: task items and their explanations.
    var body: String
    public var examples: [Example]

    public func paths(for languages: [StarterLanguage]) -> [String] {
        let specific = languages.isEmpty ? fallback : languages.flatMap { perLanguage[$0] ?? [] }
        var seen = Set<String>()
        return (common + specific).filter { seen.insert($0).inserted }
    }

    /// The file's contents: front matter, then the body.
    public func file(for languages: [StarterLanguage]) -> String {
        let detected = languages.isEmpty ? "no language was detected, so the globs are generic" : "for \(languages.map(\.name).joined(separator: ", "))"
        var out = "---\n"
        out += "# Written by `gatehouse init` (\(detected)).\n"
        out += "# Adjust the globs to your layout: they are CODEOWNERS patterns in GitHub's dialect.\n"
        out += "# The format is described in Gatehouse's docs/CHECKLISTS.md.\n"
        out += "title: \(title)\n"
        out += "required: \(isRequired)\n"
        out += "paths:\n" + paths(for: languages).map { "  - \(quoted($0))\n" }.joined()
        if let excluded = exclude?(languages), !excluded.isEmpty {
            out += "exclude:\n" + excluded.map { "  - \(quoted($0))\n" }.joined()
        }
        out += "---\n"
        return out + body
    }

    private func quoted(_ glob: String) -> String {
        "\"" + glob.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension StarterChecklist {
    static func example(_ path: String, _ triggers: Bool, _ language: StarterLanguage? = nil) -> Example {
        Example(path: path, triggers: triggers, language: language)
    }

    /// Source files of each language.
    static let sources: [StarterLanguage: [String]] = Dictionary(uniqueKeysWithValues: StarterLanguage.allCases.map { language in
        (language, language.extensions.map { "*.\($0)" })
    })

    /// Where each ecosystem keeps its tests.
    static let tests: [StarterLanguage: [String]] = [
        .swift: ["Tests/", "*Tests.swift"],
        .go: ["*_test.go", "testdata/"],
        .javascript: ["*.test.js", "*.test.jsx", "*.test.ts", "*.test.tsx", "*.spec.js", "*.spec.ts", "*.spec.tsx", "__tests__/"],
        .python: ["test_*.py", "*_test.py", "conftest.py", "tests/"],
        .ruby: ["spec/", "*_spec.rb", "*_test.rb"],
        .java: ["**/src/test/", "*Test.java", "*Tests.java", "*Test.kt"],
        .rust: ["tests/", "benches/"],
    ]
    static let genericTests = ["test/", "tests/", "spec/", "__tests__/"]

    static let functionality = StarterChecklist(
        name: "functionality", title: "Functionality", isRequired: true,
        common: [], perLanguage: sources, fallback: ["*"],
        exclude: { languages in
            var excluded = languages.isEmpty ? genericTests + ["*.md", "docs/"] : languages.flatMap { tests[$0] ?? [] }
            excluded.append("/rules/")
            return excluded
        },
        body: """
            Changes to the product's code. Tick each item once you have checked it.

            - [ ] The change does what the pull request says, and nothing it does not say.
            - [ ] Edge cases are handled: empty and missing values, very large input, concurrent use.
            - [ ] Errors reach the caller or the user with a message that says what to do; none is swallowed.
            - [ ] Behaviour users can see (output, API responses, defaults) changes only on purpose, and the description says how.
            - [ ] Configuration, feature flags or data the change needs exist in every environment it ships to.

            """,
        examples: [
            example("Sources/App/Login.swift", true, .swift),
            example("Tests/AppTests/LoginTests.swift", false, .swift),
            example("cmd/server/main.go", true, .go),
            example("cmd/server/main_test.go", false, .go),
            example("src/app/router.ts", true, .javascript),
            example("src/app/router.test.ts", false, .javascript),
            example("app/views.py", true, .python),
            example("tests/test_views.py", false, .python),
            example("lib/billing/invoice.rb", true, .ruby),
            example("src/main/java/com/acme/Billing.java", true, .java),
            example("src/test/java/com/acme/BillingTest.java", false, .java),
            example("src/lib.rs", true, .rust),
            example("README.md", false),
            example("rules/gatehouse.yml", false),
        ])

    static let codeQuality = StarterChecklist(
        name: "code-quality", title: "Code quality", isRequired: false,
        common: [], perLanguage: sources, fallback: ["*"],
        exclude: { languages in languages.isEmpty ? ["*.md", "docs/", "/rules/"] : [] },
        body: """
            - [ ] Names say what things are and do; no dead code, commented-out code or debugging output is left.
            - [ ] Each function does one thing; logic that already exists is reused rather than copied.
            - [ ] Comments explain why, not what; a TODO links to an issue.
            - [ ] The linter and formatter pass with no new suppression, or each suppression says why.

            """,
        examples: [
            example("Sources/App/Login.swift", true, .swift),
            example("Tests/AppTests/LoginTests.swift", true, .swift),
            example("internal/store/store.go", true, .go),
            example("web/src/App.tsx", true, .javascript),
            example("pkg/api.py", true, .python),
            example("docs/guide.md", false),
            example("Dockerfile", false, .go),
        ])

    static let architecture = StarterChecklist(
        name: "architecture", title: "Architecture and dependencies", isRequired: false,
        common: ["ARCHITECTURE.md", "docs/adr/", "docs/architecture/"],
        perLanguage: [
            .swift: ["Package.swift", "Package.resolved", "*.xcodeproj/project.pbxproj"],
            .go: ["go.mod", "go.work"],
            .javascript: ["package.json", "tsconfig*.json", "pnpm-workspace.yaml"],
            .python: ["pyproject.toml", "setup.py", "setup.cfg", "requirements*.txt", "Pipfile"],
            .ruby: ["Gemfile", "*.gemspec"],
            .java: ["pom.xml", "build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts"],
            .rust: ["Cargo.toml"],
        ],
        fallback: ["Package.swift", "go.mod", "package.json", "pyproject.toml", "requirements*.txt", "Gemfile", "pom.xml",
                   "build.gradle", "build.gradle.kts", "Cargo.toml"],
        exclude: nil,
        body: """
            Changes to dependencies, module structure or recorded design decisions.

            - [ ] Each new dependency is needed, maintained, licensed compatibly and pinned.
              Prefer the standard library or a dependency already in use over a new one.
            - [ ] Module boundaries hold: nothing new reaches from a lower layer into a higher one, and no cycle appears.
            - [ ] Public API changes are deliberate: backwards compatible or versioned, and documented.
            - [ ] Cost at the expected scale was considered: allocations, queries, network calls, start-up time.
            - [ ] A significant design choice is recorded (an ADR or the architecture document).

            """,
        examples: [
            example("Package.swift", true, .swift),
            example("Sources/App/Package.swift.md", false, .swift),
            example("go.mod", true, .go),
            example("services/api/go.mod", true, .go),
            example("package.json", true, .javascript),
            example("packages/ui/package.json", true, .javascript),
            example("requirements-dev.txt", true, .python),
            example("pyproject.toml", true, .python),
            example("Gemfile", true, .ruby),
            example("build.gradle.kts", true, .java),
            example("Cargo.toml", true, .rust),
            example("docs/adr/0007-use-postgres.md", true),
            example("src/index.ts", false, .javascript),
        ])

    static let security = StarterChecklist(
        name: "security", title: "Security", isRequired: true,
        common: [
            "auth/", "authn/", "authz/", "oauth/", "login/", "session/", "sessions/", "crypto/", "security/", "secrets/",
            "permissions/", "*secret*", "*Secret*", "*password*", "*Password*", "*.pem", "*.key", "*.p12", ".env", ".env.*",
        ],
        perLanguage: Dictionary(uniqueKeysWithValues: StarterLanguage.allCases.map { language in
            (language, language.extensions.flatMap { ["*auth*.\($0)", "*Auth*.\($0)", "*crypt*.\($0)", "*Crypt*.\($0)", "*token*.\($0)", "*Token*.\($0)"] })
        }),
        fallback: [],
        exclude: nil,
        body: """
            Authentication, authorization, cryptography and secrets.

            - [ ] No secret, key, token or password is committed, logged, or sent to a client.
              Secrets come from the environment or a secret store; fixtures use obviously fake values.
            - [ ] Every new entry point checks authentication and authorization, and denies by default.
            - [ ] Input from users, files and the network is validated; queries and commands are parameterised, output is escaped.
            - [ ] Cryptography uses the platform's vetted libraries and current algorithms; nothing is hand-rolled.
            - [ ] Sessions, tokens and passwords follow the existing policy: expiry, rotation, passwords hashed with a slow hash.
            - [ ] Security events (sign-in, permission changes) are logged, without personal data or secrets.

            """,
        examples: [
            example("server/auth/login.ts", true),
            example("internal/crypto/aes.go", true),
            example("config/secrets.yml", true),
            example(".env.production", true),
            example("deploy/tls/server.pem", true),
            example("Sources/App/AuthService.swift", true, .swift),
            example("pkg/session/oauth_token.go", true, .go),
            example("src/middleware/authenticate.ts", true, .javascript),
            example("app/crypto_utils.py", true, .python),
            example("app/models/user_token.rb", true, .ruby),
            example("src/main/java/com/acme/JwtTokenFilter.java", true, .java),
            example("src/password.rs", true, .rust),
            example("src/app/router.ts", false, .javascript),
            example("docs/authoring.md", false),
            example("README.md", false),
        ])

    static let testing = StarterChecklist(
        name: "testing", title: "Tests", isRequired: false,
        common: [], perLanguage: tests, fallback: genericTests,
        exclude: nil,
        body: """
            - [ ] New behaviour has tests, and a fixed bug has a test that failed before the fix.
            - [ ] Tests check outcomes, not implementation details, and each one can fail.
            - [ ] Tests are deterministic: no sleeps, real clocks, network access or dependence on order.
            - [ ] Fixtures are small and readable, and hold no real personal data or secrets.

            """,
        examples: [
            example("Tests/AppTests/LoginTests.swift", true, .swift),
            example("Sources/App/Login.swift", false, .swift),
            example("internal/store/store_test.go", true, .go),
            example("internal/store/testdata/users.json", true, .go),
            example("internal/store/store.go", false, .go),
            example("src/app/router.test.ts", true, .javascript),
            example("src/components/__tests__/Button.jsx", true, .javascript),
            example("src/app/router.ts", false, .javascript),
            example("tests/test_views.py", true, .python),
            example("app/test_models.py", true, .python),
            example("app/models.py", false, .python),
            example("spec/models/user_spec.rb", true, .ruby),
            example("core/src/test/java/com/acme/BillingTest.java", true, .java),
            example("tests/integration.rs", true, .rust),
            example("docs/testing.md", false),
        ])

    static let database = StarterChecklist(
        name: "database", title: "Database and migrations", isRequired: true,
        common: ["migrations/", "*.sql"],
        perLanguage: [
            .swift: ["Migrations/"],
            .javascript: ["prisma/", "*.prisma"],
            .python: ["alembic/", "alembic.ini"],
            .ruby: ["db/migrate/", "db/schema.rb", "db/structure.sql"],
            .java: ["**/db/migration/", "**/db/changelog/"],
            .rust: ["diesel.toml"],
        ],
        fallback: ["db/migrate/", "alembic/", "prisma/", "**/db/migration/"],
        exclude: nil,
        body: """
            Schema changes and the code that depends on them.

            - [ ] Each migration is new: a migration that has run anywhere is never edited.
            - [ ] The migration runs on production-sized tables without long locks (batched backfills, concurrent indexes).
            - [ ] The code works with the schema both before and after the migration, since deploys are not atomic.
            - [ ] There is a way back: a down migration, or a written plan for restoring the data.
            - [ ] New queries use an index; new columns have the right nullability, default and constraints.

            """,
        examples: [
            example("migrations/000042_add_orders.up.sql", true),
            example("app/billing/migrations/0007_invoice_total.py", true),
            example("db/schema/views.sql", true),
            example("Sources/App/Migrations/CreateUser.swift", true, .swift),
            example("prisma/schema.prisma", true, .javascript),
            example("alembic/versions/3f1a_add_index.py", true, .python),
            example("db/migrate/20240101000000_create_users.rb", true, .ruby),
            example("service/src/main/resources/db/migration/V2__orders.sql", true, .java),
            example("app/models.py", false, .python),
            example("docs/database.md", false),
        ])

    static let infrastructure = StarterChecklist(
        name: "infrastructure", title: "Infrastructure and CI", isRequired: false,
        common: [
            "Dockerfile", "Dockerfile.*", "*.Dockerfile", ".dockerignore", "docker-compose*.yml", "docker-compose*.yaml",
            "compose.yml", "compose.yaml", "k8s/", "kubernetes/", "helm/", "charts/", "terraform/", "*.tf",
            ".github/workflows/", ".github/actions/", ".gitlab-ci.yml", "Jenkinsfile", ".circleci/", ".buildkite/",
            "azure-pipelines.yml", ".travis.yml",
        ],
        perLanguage: [:], fallback: [],
        exclude: nil,
        body: """
            Containers, deployment and CI.

            - [ ] Images are pinned to a version or digest, and containers run as a non-root user.
            - [ ] CI keeps every required check; secrets and tokens are given only to the jobs that need them, with the least permissions.
            - [ ] New services have resource limits, health checks and enough replicas.
            - [ ] The change was tried outside production: a staging deploy, a CI run on the branch, or `terraform plan`.
            - [ ] It can be rolled back, and the deploy notes say how.

            """,
        examples: [
            example("Dockerfile", true),
            example("services/api/Dockerfile", true),
            example("docker/worker.Dockerfile", true),
            example("deploy/k8s/api/deployment.yaml", true),
            example("charts/api/values.yaml", true),
            example("infra/main.tf", true),
            example(".github/workflows/ci.yml", true),
            example(".gitlab-ci.yml", true),
            example("Jenkinsfile", true),
            example(".github/CODEOWNERS", false),
            example("src/docker.ts", false, .javascript),
        ])

    static let documentation = StarterChecklist(
        name: "documentation", title: "Documentation", isRequired: false,
        common: ["*.md", "*.rst", "*.adoc", "docs/", "doc/", "README*", "CHANGELOG*"],
        perLanguage: [:], fallback: [],
        exclude: { _ in ["/rules/"] },
        body: """
            - [ ] The documentation matches the code as changed: commands, options and examples were tried.
            - [ ] New features and breaking changes are in the changelog or release notes.
            - [ ] Links work and point at stable targets.
            - [ ] The language is plain and short, and examples can be copied as they are.

            """,
        examples: [
            example("README.md", true),
            example("docs/guide/install.md", true),
            example("docs/images/flow.svg", true),
            example("CHANGELOG", true),
            example("packages/ui/README.md", true),
            example("rules/checklists/security.md", false),
            example("src/readme.ts", false, .javascript),
        ])

    /// What `gatehouse init` writes to `rules/checklists/`, in this order.
    public static let all: [StarterChecklist] = [
        functionality, codeQuality, architecture, security, testing, database, infrastructure, documentation,
    ]
}
