/// The ecosystems `gatehouse init` recognises, so the starter rules' globs fit the repository.
public enum StarterLanguage: String, Sendable, CaseIterable {
    case swift, go, javascript, python, ruby, java, rust

    public var name: String {
        switch self {
        case .swift: "Swift"
        case .go: "Go"
        case .javascript: "JavaScript/TypeScript"
        case .python: "Python"
        case .ruby: "Ruby"
        case .java: "Java/Kotlin"
        case .rust: "Rust"
        }
    }

    /// Source-file extensions, without the dot.
    var extensions: [String] {
        switch self {
        case .swift: ["swift"]
        case .go: ["go"]
        case .javascript: ["js", "jsx", "mjs", "cjs", "ts", "tsx"]
        case .python: ["py"]
        case .ruby: ["rb"]
        case .java: ["java", "kt"]
        case .rust: ["rs"]
        }
    }

    /// The languages with at least one tracked source file, in declaration order. Vendored and
    /// generated trees are skipped: a copy of a JavaScript library does not make a Go project
    /// a JavaScript one.
    public static func detect(in files: [RepoPath]) -> [StarterLanguage] {
        var byExtension: [String: StarterLanguage] = [:]
        for language in allCases {
            for ext in language.extensions { byExtension[ext] = language }
        }
        let skipped: Set<String> = ["node_modules", "vendor", "third_party", "Pods", "Carthage", ".build", "dist", "build"]
        var found = Set<StarterLanguage>()
        for file in files {
            let segments = file.string.split(separator: "/")
            guard let name = segments.last, !segments.dropLast().contains(where: { skipped.contains(String($0)) }),
                  let dot = name.lastIndex(of: "."), dot != name.startIndex,
                  let language = byExtension[String(name[name.index(after: dot)...])] else { continue }
            found.insert(language)
        }
        return allCases.filter(found.contains)
    }
}
