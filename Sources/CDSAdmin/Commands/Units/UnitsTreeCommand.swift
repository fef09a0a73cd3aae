import ArgumentParser
import CDSDatabase

struct UnitsTreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Print the unit hierarchy under a unit (the province by default)."
    )

    @Argument(help: "The code of the unit at the top: a GSO code, or a hamlet code such as 3646-001.")
    var code: String?

    @Option(help: "How many levels below the top to print (all by default).")
    var depth: Int?

    func validate() throws {
        if let depth, depth < 0 { throw ValidationError("--depth must be 0 or more") }
    }

    func run() async throws {
        let tree = try await OperatorDatabase.withApplication { database in
            let scope = try await database.provinceScope()
            return try await database.withTenantScope(scope, actor: .operator("units-tree")) { transaction in
                try await UnitTree.load(rootCode: code, depth: depth, in: transaction)
            }
        }
        guard let tree else {
            throw AdminError.notFound("no unit has the code \(code ?? "(province)"); `cds-admin units tree --depth 1` lists the districts")
        }
        var lines: [String] = []
        func walk(_ node: UnitTree.Node, prefix: String, isLast: Bool, isRoot: Bool) {
            lines.append((isRoot ? "" : prefix + (isLast ? "└─ " : "├─ ")) + "\(node.code)  \(node.name)")
            let childPrefix = isRoot ? "" : prefix + (isLast ? "   " : "│  ")
            for (index, child) in node.children.enumerated() {
                walk(child, prefix: childPrefix, isLast: index == node.children.count - 1, isRoot: false)
            }
        }
        walk(tree, prefix: "", isLast: true, isRoot: true)
        Console.print(lines.joined(separator: "\n"))
    }
}
