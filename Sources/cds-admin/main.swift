import CDSAdmin
import Foundation

// Thin on purpose: the commands live in the CDSAdmin library.
exit(await CDSAdminCommand.run(arguments: Array(CommandLine.arguments.dropFirst())))
