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
}
