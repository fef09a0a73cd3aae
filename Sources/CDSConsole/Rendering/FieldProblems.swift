import CDSHTTP

/// The fields at fault in an API refusal, as the console lists them: the field's label and what is wrong with it, in
/// the visitor's language (the API's own English message where English is chosen, which says more).
enum FieldProblems {
    static func describe(_ problem: ProblemDetails, language: String, catalogue: Catalogue) -> [[String: String]] {
        (problem.errors ?? []).map { error in
            let label = catalogue.entry("field_\(error.field)").isEmpty ? error.field : catalogue.text("field_\(error.field)", language)
            let message =
                language == "en" || catalogue.entry("error_\(error.code)").isEmpty
                ? error.message : catalogue.text("error_\(error.code)", language)
            return ["field": label, "message": message]
        }
    }

    /// What a form page shows above the form for `problem`: the refusal in words (`problem_<status>`), and the fields
    /// at fault.
    static func values(_ problem: ProblemDetails, language: String, catalogue: Catalogue) -> [String: Any] {
        let faults = describe(problem, language: language, catalogue: catalogue)
        let key = catalogue.entry("problem_\(problem.statusCode)").isEmpty ? "problem_422" : "problem_\(problem.statusCode)"
        return ["problem": catalogue.text(key, language), "faults": faults, "hasFaults": !faults.isEmpty]
    }
}
