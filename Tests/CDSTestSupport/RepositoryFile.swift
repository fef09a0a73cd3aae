import Foundation

/// A file of this repository (a script, a configuration in `ops/`), found from this source file's place in it.
public func repositoryFile(_ path: String) -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(path)
}
