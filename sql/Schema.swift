import Foundation

/// The files of this directory that the code ships as resources: the numbered migrations and the
/// reference data they are loaded with.
public enum Schema {
    /// The migration files, `NNNN_name.sql`, in the order they apply.
    public static func migrationFiles() throws -> [URL] {
        let directory = try resourceDirectory("migrations")
        return try FileManager.default
            .contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// A reference data file, e.g. `sonla/units-2023.csv`.
    public static func referenceFile(_ relativePath: String) throws -> URL {
        let url = try resourceDirectory("reference").appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: url.path])
        }
        return url
    }

    private static func resourceDirectory(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: name])
        }
        return url
    }
}
