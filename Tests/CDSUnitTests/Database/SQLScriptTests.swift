import Testing

@testable import CDSDatabase

@Suite struct SQLScriptTests {
    @Test func splitsOnSemicolonsOutsideQuotesCommentsAndBodies() {
        let script = """
            -- a comment; with a semicolon
            CREATE TABLE t (x text DEFAULT 'a;b', "we;ird" int);
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$
            BEGIN RETURN 1; END
            $$;
            CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $body$ SELECT 'x;y' $body$;
            SELECT E'it\\'s; fine', 'it''s; fine';
            SELECT $1::int
            """
        let statements = SQLScript.statements(script)
        #expect(statements.count == 5)
        #expect(statements[0].hasSuffix("\"we;ird\" int)"))
        #expect(statements[1].contains("RETURN 1; END"))
        #expect(statements[2].contains("'x;y'"))
        #expect(statements[3].contains("it''s; fine"))
        #expect(statements[4] == "SELECT $1::int")
    }

    @Test func theShippedMigrationsSplitIntoStatements() throws {
        for migration in try Migration.bundled() {
            let statements = SQLScript.statements(migration.sql)
            #expect(!statements.isEmpty)
            #expect(statements.allSatisfy { !$0.hasPrefix(";") })
        }
    }
}
