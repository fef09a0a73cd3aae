import ArgumentParser
import CDSDatabase
import CDSServer
import Foundation

/// `--config FILE` and the environment, read into the server's configuration.
struct SettingsOptions: ParsableArguments {
    @Option(name: .long, help: "A file of NAME=value settings; the environment overrides it.")
    var config: String?

    /// - Throws: exit code 78 (EX_CONFIG) after printing every bad value: systemd does not restart a unit on it
    ///   (`RestartPreventExitStatus`).
    func load() throws -> (source: ConfigurationSource, configuration: ServerConfiguration) {
        do {
            let source = try ConfigurationSource(environment: ProcessInfo.processInfo.environment, file: config.map { URL(fileURLWithPath: $0) })
            return (source, try ServerConfiguration(source))
        } catch {
            FileHandle.standardError.write(Data("cds-server: \(error)\n".utf8))
            throw ExitCode(78)
        }
    }
}

/// The failure as the operator's terminal shows it: PostgreSQL's SQLSTATE and message when it has them.
func exitReporting(_ error: any Error) -> ExitCode {
    FileHandle.standardError.write(Data("cds-server: \(operatorDescription(of: error) ?? String(describing: error))\n".utf8))
    return ExitCode.failure
}
