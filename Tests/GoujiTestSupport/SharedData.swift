import Foundation

/// The shared folder every test suite reads (seeds, gold readings, the scorer): `GOUJI_SHARED`,
/// else `../shared` beside the repository. One definition for all test targets.
public enum SharedData {
    public static var root: URL {
        if let env = ProcessInfo.processInfo.environment["GOUJI_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        // <repo>/Tests/GoujiTestSupport/SharedData.swift → <repo>/../shared
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared")
    }

    /// The hand-checked readings, `gold/*.json`, sorted by name.
    public static func goldFiles() throws -> [URL] { try files(in: "gold", ending: ".json") }

    /// The seed texts, `seeds/*.txt`, sorted by name.
    public static func seedFiles() throws -> [URL] { try files(in: "seeds", ending: ".txt") }

    static func files(in folder: String, ending suffix: String) throws(SharedDataError) -> [URL] {
        let dir = root.appendingPathComponent(folder)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw SharedDataError.missing(dir.path)
        }
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { dir.appendingPathComponent($0) }
    }
}

/// The shared folder is not where the tests look for it.
public enum SharedDataError: Error, CustomStringConvertible {
    case missing(String)

    public var description: String {
        switch self {
        case .missing(let path):
            "no folder \(path): put the shared/ folder beside the repository or set GOUJI_SHARED to it (`make test` does)"
        }
    }
}
