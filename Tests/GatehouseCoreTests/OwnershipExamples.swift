import GatehouseCore

/// The owners a documented example gives one path. An empty `owners` means the path is unowned.
struct ExpectedOwners: Sendable, Hashable {
    let path: String
    /// In the order Gatehouse reports them: section by section, each rule's owners as written.
    let owners: [String]

    init(_ path: String, _ owners: [String]) {
        self.path = path
        self.owners = owners
    }
}

/// A CODEOWNERS example from a vendor's documentation, with the owners the documentation gives
/// concrete paths (in the manner of SwiftLint's documented rule examples).
struct OwnershipExample: Sendable, Hashable {
    /// A short name for listings and test reports.
    let name: String
    let dialect: OwnershipDialect
    /// A small CODEOWNERS file, as the documentation writes it.
    let rules: String
    /// Paths with their owners; paths that must stay unowned have no owners.
    let owned: [ExpectedOwners]
    /// The vendor page the example comes from.
    let source: String

    init(_ name: String, _ dialect: OwnershipDialect, source: String, rules: String, owned: [ExpectedOwners]) {
        self.name = name
        self.dialect = dialect
        self.rules = rules
        self.owned = owned
        self.source = source
    }
}

/// Every example of GitHub's and GitLab's CODEOWNERS documentation, with concrete paths.
enum OwnershipExamples {
    private static let githubPage =
        "https://docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners"
    private static let githubExample = githubPage + "#example-of-a-codeowners-file"
    private static let gitlabReference = "https://docs.gitlab.com/user/project/codeowners/reference/"
    private static let gitlabAdvanced = "https://docs.gitlab.com/user/project/codeowners/advanced/"

    private static func github(_ name: String, _ rules: String, _ owned: [ExpectedOwners], source: String = githubExample) -> OwnershipExample {
        OwnershipExample(name, .github, source: source, rules: rules, owned: owned)
    }

    private static func gitlab(_ name: String, _ source: String, _ rules: String, _ owned: [ExpectedOwners]) -> OwnershipExample {
        OwnershipExample(name, .gitlab, source: source, rules: rules, owned: owned)
    }

    private static func path(_ path: String, _ owners: String...) -> ExpectedOwners {
        ExpectedOwners(path, owners)
    }

    // MARK: GitHub, "About code owners", "Example of a CODEOWNERS file"

    /// The whole example file of GitHub's page, then each of its entries on its own.
    static let github: [OwnershipExample] = [
        github(
            "* owns everything",
            """
            # These owners will be the default owners for everything in
            # the repo. Unless a later match takes precedence,
            # @global-owner1 and @global-owner2 will be requested for
            # review when someone opens a pull request.
            *       @global-owner1 @global-owner2
            """,
            // `*` leaves nothing unowned.
            [
                path("README.md", "@global-owner1", "@global-owner2"),
                path("src/app/main.go", "@global-owner1", "@global-owner2"),
                path(".github/workflows/ci.yml", "@global-owner1", "@global-owner2"),
            ]),
        github(
            "the last matching pattern takes precedence",
            """
            *       @global-owner1 @global-owner2

            # Order is important; the last matching pattern takes the most
            # precedence. When someone opens a pull request that only
            # modifies JS files, only @js-owner and not the global
            # owner(s) will be requested for a review.
            *.js    @js-owner #This is an inline comment.
            """,
            [
                path("app.js", "@js-owner"),
                path("src/components/button.js", "@js-owner"),
                path("README.md", "@global-owner1", "@global-owner2"),
                path("app.jsx", "@global-owner1", "@global-owner2"),
            ]),
        github(
            "*.js with an inline comment",
            "*.js    @js-owner #This is an inline comment.",
            [
                path("app.js", "@js-owner"),
                path("src/components/button.js", "@js-owner"),
                path("README.md"),
                path("app.json"),
                // CODEOWNERS paths are case sensitive.
                path("APP.JS"),
            ]),
        github(
            "an e-mail address as owner",
            """
            # You can also use email addresses if you prefer. They'll be
            # used to look up users just like we do for commit author
            # emails.
            *.go docs@example.com
            """,
            [
                path("main.go", "docs@example.com"),
                path("cmd/server/main.go", "docs@example.com"),
                path("go.mod"),
                path("main.rs"),
            ]),
        github(
            "a team as owner",
            """
            # Teams can be specified as code owners as well. Teams should
            # be identified in the format @org/team-name. Teams must have
            # explicit write access to the repository. In this example,
            # the octocats team in the octo-org organization owns all .txt files.
            *.txt @octo-org/octocats
            """,
            [
                path("notes.txt", "@octo-org/octocats"),
                path("docs/licenses/third-party.txt", "@octo-org/octocats"),
                path("notes.md"),
                path("txt"),
            ]),
        github(
            "/build/logs/: the folder at the root, at any depth below it",
            """
            # In this example, @doctocat owns any files in the build/logs
            # directory at the root of the repository and any of its
            # subdirectories.
            /build/logs/ @doctocat
            """,
            [
                path("build/logs/build.log", "@doctocat"),
                path("build/logs/2024/01/build.log", "@doctocat"),
                path("build/build.log"),
                path("src/build/logs/build.log"),
                // A trailing slash matches folders only.
                path("build/logs"),
            ]),
        github(
            "docs/*: direct children only",
            """
            # The `docs/*` pattern will match files like
            # `docs/getting-started.md` but not further nested files like
            # `docs/build-app/troubleshooting.md`.
            docs/*  docs@example.com
            """,
            [
                path("docs/getting-started.md", "docs@example.com"),
                path("docs/build-app/troubleshooting.md"),
                // A slash in the middle anchors the pattern to the root.
                path("src/docs/getting-started.md"),
                path("docs"),
            ]),
        github(
            "apps/: an apps folder anywhere",
            """
            # In this example, @octocat owns any file in an apps directory
            # anywhere in your repository.
            apps/ @octocat
            """,
            [
                path("apps/web/index.js", "@octocat"),
                path("services/apps/main.go", "@octocat"),
                path("a/b/apps/c/d.txt", "@octocat"),
                path("apps"),
                path("myapps/index.js"),
                path("README.md"),
            ]),
        github(
            "/docs/: the docs folder at the root",
            """
            # In this example, @doctocat owns any file in the `/docs`
            # directory in the root of your repository and any of its
            # subdirectories.
            /docs/ @doctocat
            """,
            [
                path("docs/getting-started.md", "@doctocat"),
                path("docs/build-app/troubleshooting.md", "@doctocat"),
                path("src/docs/getting-started.md"),
                path("docs"),
                path("documentation/index.md"),
            ]),
        github(
            "/scripts/: two owners",
            """
            # In this example, any change inside the `/scripts` directory
            # will require approval from @doctocat or @octocat.
            /scripts/ @doctocat @octocat
            """,
            [
                path("scripts/deploy.sh", "@doctocat", "@octocat"),
                path("scripts/ci/lint.sh", "@doctocat", "@octocat"),
                path("tools/scripts/deploy.sh"),
                path("scripts.md"),
            ]),
        github(
            "**/logs: a logs folder at any depth",
            """
            # In this example, @octocat owns any file in a `/logs` directory such as
            # `/build/logs`, `/scripts/logs`, and `/deeply/nested/logs`. Any changes
            # in a `/logs` directory will require approval from @octocat.
            **/logs @octocat
            """,
            [
                path("build/logs/build.log", "@octocat"),
                path("scripts/logs/run.log", "@octocat"),
                path("deeply/nested/logs/today/app.log", "@octocat"),
                path("logs/app.log", "@octocat"),
                path("build/logs.txt"),
                path("catalogs/index.md"),
                path("build/mylogs/build.log"),
            ]),
        github(
            "/apps/ with /apps/github left without owners",
            """
            # In this example, @octocat owns any file in the `/apps`
            # directory in the root of your repository except for the `/apps/github`
            # subdirectory, as its owners are left empty. Without an owner, changes
            # to `apps/github` can be made with the approval of any user who has
            # write access to the repository.
            /apps/ @octocat
            /apps/github
            """,
            [
                path("apps/web/index.js", "@octocat"),
                path("apps/github-desktop/main.ts", "@octocat"),
                path("apps/github/index.js"),
                path("apps/github/lib/api.rb"),
                path("services/apps/web/index.js"),
            ]),
        github(
            "/apps/ with /apps/github owned by @doctocat",
            """
            # In this example, @octocat owns any file in the `/apps`
            # directory in the root of your repository except for the `/apps/github`
            # subdirectory, as this subdirectory has its own owner @doctocat
            /apps/ @octocat
            /apps/github @doctocat
            """,
            [
                path("apps/web/index.js", "@octocat"),
                path("apps/githubber/index.js", "@octocat"),
                path("apps/github/index.js", "@doctocat"),
                path("apps/github/lib/api.rb", "@doctocat"),
                path("services/apps/github/index.js"),
                path("README.md"),
            ]),
        github(
            "the whole example file",
            """
            # This is a comment.
            # Each line is a file pattern followed by one or more owners.

            *       @global-owner1 @global-owner2
            *.js    @js-owner #This is an inline comment.
            *.go docs@example.com
            *.txt @octo-org/octocats
            /build/logs/ @doctocat
            docs/*  docs@example.com
            apps/ @octocat
            /docs/ @doctocat
            /scripts/ @doctocat @octocat
            **/logs @octocat
            /apps/ @octocat
            /apps/github
            /apps/ @octocat
            /apps/github @doctocat
            """,
            // `*` leaves nothing unowned; later lines win.
            [
                path("README.md", "@global-owner1", "@global-owner2"),
                path("src/app.js", "@js-owner"),
                path("cmd/main.go", "docs@example.com"),
                path("notes.txt", "@octo-org/octocats"),
                path("build/logs/build.log", "@octocat"),
                path("docs/getting-started.md", "@doctocat"),
                path("docs/build-app/troubleshooting.md", "@doctocat"),
                path("web/apps/index.js", "@octocat"),
                path("apps/index.js", "@octocat"),
                path("apps/github/index.js", "@doctocat"),
                path("scripts/deploy.sh", "@doctocat", "@octocat"),
                path("scripts/logs/run.log", "@octocat"),
            ]),
        github(
            "branch protection: the last of three /apps/ lines",
            """
            # In this example, any change inside the `/apps` directory
            # will require approval from @doctocat.
            /apps/ @doctocat

            # In this example, any change inside the `/apps` directory
            # will require approval from @doctocat or @octocat.
            /apps/ @doctocat @octocat

            # In this example, any change inside the `/apps` directory
            # will require approval from a member of the @example-org/content team.
            /apps/ @example-org/content-team
            """,
            [
                path("apps/web/index.js", "@example-org/content-team"),
                path("web/apps/index.js"),
            ],
            source: githubPage + "#codeowners-and-branch-protection"),
    ]

    // MARK: GitLab, "Syntax of CODEOWNERS file" and "Advanced CODEOWNERS configuration"

    static let gitlab: [OwnershipExample] = [
        gitlab(
            "the introductory examples",
            gitlabReference,
            """
            # Specify a default Code Owner for all files with a wildcard:
            * @default-owner

            # Specify multiple Code Owners to a specific file:
            README.md @doc-team @tech-lead

            # Specify a Code Owner to all files with a specific extension:
            *.rb @ruby-owner

            # Specify Code Owners with usernames or email addresses:
            LICENSE @legal janedoe@gitlab.com

            # Use group names to match groups and nested groups:
            README @group @group/with-nested/subgroup

            # Specify a Code Owner to a directory and all its contents:
            /docs/ @all-docs
            /docs/* @root-docs
            /docs/**/*.md @markdown-docs  # Match specific file types in any subdirectory
            /db/**/index.md @index-docs   # Match a specific file name in any subdirectory

            # Use a section to group related rules:
            [Documentation]
            ee/docs    @docs
            docs       @docs

            # Assign a role as a Code Owner:
            /config/ @@maintainer
            """,
            // `*` leaves nothing unowned.
            [
                path("app/README.md", "@doc-team", "@tech-lead"),
                path("app/models/user.rb", "@ruby-owner"),
                path("LICENSE", "@legal", "janedoe@gitlab.com"),
                path("lib/README", "@group", "@group/with-nested/subgroup"),
                path("docs/README", "@root-docs"),
                path("docs/api/image.png", "@all-docs"),
                path("docs/index.md", "@markdown-docs"),
                path("docs/api/graphql/intro.md", "@markdown-docs"),
                path("db/index.md", "@index-docs"),
                path("db/migrate/index.md", "@index-docs"),
                // FNM_DOTMATCH: `*` matches dotfiles.
                path(".gitignore", "@default-owner"),
                // The [Documentation] section applies as well as the unnamed one.
                path("config/database.yml", "@default-owner", "@@maintainer"),
                path("ee/docs", "@default-owner", "@docs"),
                // `docs` without a slash names a file, not a folder.
                path("ee/docs/index.html", "@default-owner"),
            ]),
        gitlab(
            "sections: every section applies, the last match within each",
            gitlabReference + "#sections",
            """
            * @admin

            [README Owners]
            README.md @user1 @user2
            internal/README.md @user4

            [README other owners]
            README.md @user3
            """,
            // `*` leaves nothing unowned.
            [
                path("README.md", "@admin", "@user1", "@user2", "@user3"),
                path("internal/README.md", "@admin", "@user4", "@user3"),
                path("src/main.rb", "@admin"),
            ]),
        gitlab(
            "absolute paths",
            gitlabReference + "#absolute-paths",
            """
            # Matches only README.md in the root.
            /README.md @username

            # Matches only README.md inside the /docs directory.
            /docs/README.md @docs-owner
            """,
            [
                path("README.md", "@username"),
                path("docs/README.md", "@docs-owner"),
                path("internal/README.md"),
                path("docs/api/README.md"),
            ]),
        gitlab(
            "relative paths: README.md at any depth",
            gitlabReference + "#relative-paths",
            """
            # Matches /README.md, /internal/README.md, /app/lib/README.md
            README.md @username
            """,
            [
                path("README.md", "@username"),
                path("internal/README.md", "@username"),
                path("app/lib/README.md", "@username"),
                path("README.markdown"),
                path("readme.md"),
                path("README.md.orig"),
            ]),
        gitlab(
            "relative paths: internal/README.md at any depth",
            gitlabReference + "#relative-paths",
            """
            # Matches /internal/README.md, /docs/internal/README.md, /docs/api/internal/README.md
            internal/README.md @username
            """,
            [
                path("internal/README.md", "@username"),
                path("docs/internal/README.md", "@username"),
                path("docs/api/internal/README.md", "@username"),
                path("README.md"),
                path("internal/docs/README.md"),
                path("external/README.md"),
            ]),
        gitlab(
            "directory paths",
            gitlabReference + "#directory-paths",
            """
            # Matches all files in /docs/ and its subdirectories
            /docs/ @username
            """,
            [
                path("docs/index.md", "@username"),
                path("docs/api/graphql/index.md", "@username"),
                path("docs"),
                path("src/docs/index.md"),
            ]),
        gitlab(
            "wildcard paths: /docs/*.md",
            gitlabReference + "#wildcard-paths",
            """
            # Any markdown files in the docs directory
            /docs/*.md @username
            """,
            [
                path("docs/index.md", "@username"),
                path("docs/.hidden.md", "@username"),
                path("docs/api/index.md"),
                path("index.md"),
                path("docs/index.mdx"),
            ]),
        gitlab(
            "wildcard paths: /docs/index.*",
            gitlabReference + "#wildcard-paths",
            """
            # /docs/index file of any filetype
            # For example: /docs/index.md, /docs/index.html, /docs/index.xml
            /docs/index.* @username
            """,
            [
                path("docs/index.md", "@username"),
                path("docs/index.html", "@username"),
                path("docs/index.xml", "@username"),
                path("docs/index"),
                path("docs/indexes.md"),
                path("docs/api/index.md"),
            ]),
        gitlab(
            "wildcard paths: /docs/*spec*",
            gitlabReference + "#wildcard-paths",
            """
            # Any file in the docs directory with 'spec' in the name.
            # For example: /docs/qa_specs.rb, /docs/spec_helpers.rb, /docs/runtime.spec
            /docs/*spec* @username
            """,
            [
                path("docs/qa_specs.rb", "@username"),
                path("docs/spec_helpers.rb", "@username"),
                path("docs/runtime.spec", "@username"),
                path("docs/readme.md"),
                path("docs/api/spec.rb"),
                path("spec/docs_spec.rb"),
            ]),
        gitlab(
            "wildcard paths: /docs/*/README.md",
            gitlabReference + "#wildcard-paths",
            """
            # README.md files one level deep within the docs directory
            # For example: /docs/api/README.md
            /docs/*/README.md @username
            """,
            [
                path("docs/api/README.md", "@username"),
                path("docs/README.md"),
                path("docs/api/v1/README.md"),
                path("api/README.md"),
            ]),
        gitlab(
            "globstar paths: /docs/**/index.md",
            gitlabReference + "#globstar-paths",
            """
            # For example: /docs/index.md, /docs/api/index.md, and /docs/api/graphql/index.md.
            /docs/**/index.md @username
            """,
            [
                path("docs/index.md", "@username"),
                path("docs/api/index.md", "@username"),
                path("docs/api/graphql/index.md", "@username"),
                path("index.md"),
                path("src/docs/index.md"),
                path("docs/api/index.md.orig"),
            ]),
        gitlab(
            "default owners of a section, with an override",
            gitlabReference + "#set-default-code-owner-for-a-section",
            """
            [Documentation] @docs-team
            docs/
            README.md

            [Database] @database-team @agarcia
            model/db/
            config/db/database-setup.md @docs-team
            """,
            [
                path("docs/install.md", "@docs-team"),
                path("README.md", "@docs-team"),
                path("model/db/schema.rb", "@database-team", "@agarcia"),
                path("config/db/database-setup.md", "@docs-team"),
                path("config/db/database.yml"),
                path("model/db.rb"),
                path("src/main.rb"),
            ]),
        gitlab(
            "optional sections still name owners",
            gitlabReference + "#optional-sections",
            """
            [Documentation]
            *.md @root

            [Ruby]
            *.rb @root

            ^[Go]
            *.go @root
            """,
            [
                path("docs/guide.md", "@root"),
                path("app/models/user.rb", "@root"),
                path("cmd/main.go", "@root"),
                path("src/main.rs"),
            ]),
        gitlab(
            "exclusions apply in their section",
            gitlabReference + "#exclusion-patterns",
            """
            # All files require approval from @username
            * @username

            # Except pom.xml which needs no approval
            !pom.xml

            [Ruby]
            # All ruby files require approval from @ruby-team
            *.rb @ruby-team

            # Except Ruby files in the config directory
            !/config/**/*.rb
            """,
            [
                path("README.md", "@username"),
                path("app/models/user.rb", "@username", "@ruby-team"),
                path("config/initializers/session.rb", "@username"),
                path("config/routes.rb", "@username"),
                path("pom.xml"),
                path("service/pom.xml"),
            ]),
        gitlab(
            "exclusions: a later entry for excluded files won't take effect",
            gitlabReference + "#exclusion-patterns",
            """
            * @default-owner
            !*.rb                      # Excludes all Ruby files.
            /special/*.rb @ruby-owner  # This won't take effect as *.rb is already excluded.
            """,
            [
                path("README.md", "@default-owner"),
                path("special/README.md", "@default-owner"),
                path("special/helper.rb"),
                path("app/models/user.rb"),
            ]),
        gitlab(
            "exclusions: excluded files cannot be included again in the section",
            gitlabReference + "#exclusion-patterns",
            """
            [Ruby]
            *.rb @ruby-team           # All Ruby files need Ruby team approval.
            !/config/**/*.rb          # Ruby files in config don't need Ruby team approval.
            /config/routes.rb @ops    # This won't take effect as config Ruby files are excluded.
            """,
            [
                path("app/models/user.rb", "@ruby-team"),
                path("config/routes.rb"),
                path("config/initializers/session.rb"),
                path("README.md"),
            ]),
        gitlab(
            "exclusions: another section still applies",
            gitlabReference + "#exclusion-patterns",
            """
            [Ruby]
            *.rb @ruby-team
            !/config/**/*.rb        # Config Ruby files don't need Ruby team approval.

            [Config]
            /config/ @ops-team      # Config files still require ops-team approval.
            """,
            [
                path("config/routes.rb", "@ops-team"),
                path("config/settings.yml", "@ops-team"),
                path("app/models/user.rb", "@ruby-team"),
                path("README.md"),
            ]),
        gitlab(
            "exclusions: files updated by automation",
            gitlabReference + "#exclusion-patterns",
            """
            * @default-owner

            # Files updated by automation don't need approval.
            !package-lock.json
            !yarn.lock
            !**/generated/          # Any files in generated directories.
            !.gitlab-ci.yml
            """,
            [
                path("src/main.ts", "@default-owner"),
                path("generated.txt", "@default-owner"),
                path("package-lock.json"),
                path("web/package-lock.json"),
                path("yarn.lock"),
                path("generated/api.ts"),
                path("src/generated/models/user.ts"),
                path(".gitlab-ci.yml"),
            ]),
        gitlab(
            "roles as owners",
            gitlabReference + "#add-a-role-as-a-code-owner",
            """
            file.md @@developer @@maintainer
            /config/ @@maintainers
            """,
            [
                path("file.md", "@@developer", "@@maintainer"),
                path("docs/file.md", "@@developer", "@@maintainer"),
                path("config/app.yml", "@@maintainers"),
                path("other.md"),
            ]),
        gitlab(
            "groups and subgroups as owners",
            gitlabReference + "#add-a-group-as-a-code-owner",
            """
            [Maintainers]
            * @gitlab-org/maintainers/group-name
            file.md @group-x @group-x/subgroup-y
            """,
            // `*` leaves nothing unowned.
            [
                path("src/main.rb", "@gitlab-org/maintainers/group-name"),
                path("file.md", "@group-x", "@group-x/subgroup-y"),
            ]),
        gitlab(
            "patterns: **/*.rb at any depth",
            gitlabAdvanced + "#pattern-matching",
            "**/*.rb @ruby",
            [
                path("config/database.rb", "@ruby"),
                path("app/controllers/users/stars_controller.rb", "@ruby"),
                path("Rakefile.rb", "@ruby"),
                path("Gemfile"),
                path("app/models/user.rbs"),
            ]),
        gitlab(
            "regular entries and sections",
            gitlabAdvanced + "#regular-entries-and-sections",
            """
            # Required for all files
            * @general-approvers

            [Documentation] @docs-team
            docs/
            README.md
            *.txt

            [Database] @database-team
            model/db/
            config/db/database-setup.md @docs-team
            """,
            // `*` leaves nothing unowned.
            [
                path("model/db/CHANGELOG.txt", "@general-approvers", "@docs-team", "@database-team"),
                path("config/db/database-setup.md", "@general-approvers", "@docs-team"),
                path("docs/index.md", "@general-approvers", "@docs-team"),
                path("src/main.rb", "@general-approvers"),
            ]),
        gitlab(
            "default owners with optional sections and approvals",
            gitlabAdvanced + "#default-code-owners-and-optional-sections",
            """
            [Documentation][2] @docs-team
            docs/
            README.md

            ^[Database] @database-team
            model/db/
            config/db/database-setup.md @docs-team
            """,
            [
                path("docs/index.md", "@docs-team"),
                path("model/db/schema.rb", "@database-team"),
                path("config/db/database-setup.md", "@docs-team"),
                path("model/user.rb"),
            ]),
        gitlab(
            "sections with duplicate names are combined",
            gitlabAdvanced + "#sections-with-duplicate-names",
            """
            [Documentation]
            ee/docs/    @docs
            docs/       @docs

            [Database]
            README.md  @database
            model/db/   @database

            [DOCUMENTATION]
            README.md  @docs
            """,
            [
                path("README.md", "@docs", "@database"),
                path("ee/docs/index.md", "@docs"),
                path("model/db/schema.rb", "@database"),
                path("src/main.rb"),
            ]),
        gitlab(
            "the last matching entry is used",
            gitlabAdvanced + "#define-code-owners-for-specific-files-or-directories",
            """
            # This line would match the file terms.md
            *.md @doc-team

            # This line would also match the file terms.md
            terms.md @legal-team
            """,
            [
                path("terms.md", "@legal-team"),
                path("legal/terms.md", "@legal-team"),
                path("guide.md", "@doc-team"),
                path("terms.txt"),
            ]),
        gitlab(
            "multiple approvals",
            gitlabAdvanced + "#require-multiple-approvals-from-code-owners",
            """
            [Documentation][2]
            *.md @tech-writer-team

            [Ruby]
            *.rb @dev-team
            """,
            [
                path("docs/guide.md", "@tech-writer-team"),
                path("app/models/user.rb", "@dev-team"),
                path("main.go"),
            ]),
        gitlab(
            "entries with escaped spaces",
            gitlabAdvanced + "#entries-with-spaces",
            #"""
            path\ with\ spaces/*.md @owner
            """#,
            [
                path("path with spaces/README.md", "@owner"),
                path("docs/path with spaces/README.md", "@owner"),
                path("path with spaces/sub/README.md"),
                path("path with spaces/notes.txt"),
                path("path/README.md"),
            ]),
        gitlab(
            "an unparsable section header after the default section",
            gitlabAdvanced + "#after-the-default-section",
            """
            * @group

            [Section name
            docs/ @docs_group
            """,
            // docs/ stays in the default section, so it overrides `*` there.
            [
                path("docs/index.md", "@docs_group"),
                path("README.md", "@group"),
            ]),
        gitlab(
            "an unparsable section header after a named section",
            gitlabAdvanced + "#after-a-named-section",
            """
            [Docs]
            docs/**/* @group

            [Section name
            docs/ @docs_group
            """,
            [
                path("docs/index.md", "@docs_group"),
                path("docs/api/index.md", "@docs_group"),
                path("README.md"),
            ]),
        gitlab(
            "malformed owners are ignored",
            gitlabAdvanced + "#malformed-owners",
            """
            /path/* @group user_without_at_symbol @user_with_at_symbol
            """,
            [
                path("path/file.rb", "@group", "@user_with_at_symbol"),
                path("path/to/file.rb"),
                path("file.rb"),
            ]),
    ]
}
