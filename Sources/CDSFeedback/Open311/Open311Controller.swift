import CDSCore
import CDSDatabase
import CDSHTTP
import Foundation
import Hummingbird

/// GeoReport v2 under `/open311/v2`: discovery, the services (the categories) and their definitions, filing a
/// report (`POST requests`, with a partner's `api_key`), reading reports by id, token or filter, and FixMyStreet's
/// update feed. Every read is public and shows no citizen's contact; every error is GeoReport's error list.
struct Open311Controller: Sendable {
    let database: Database
    let gate: PartnerGate
    let catalogue: ReferenceCache<FeedbackCatalogue>
    let province: ReferenceCache<TenantScope>
    let traffic: PublicTraffic

    /// The one jurisdiction served: the province, by its GSO code. Clients may leave `jurisdiction_id` out.
    static let jurisdiction = "14"
    /// The widest span of a listing, and the span when none is given (the specification's defaults).
    static let window: TimeInterval = 90 * 86400
    static let maximumPageSize = 1000
    /// How deep paging may go: OFFSET reads every row it skips, and the public may not make the database read
    /// millions. A client that needs more narrows `start_date` and `end_date`.
    static let maximumDepth = 10_000
    static let maximumBody = 64 * 1024
    static let publicActor = AuditActor(kind: "public", name: "open311")

    func addRoutes(to router: Router<APIRequestContext>) {
        let group = router.group("open311/v2").add(middleware: Open311ErrorMiddleware()).add(middleware: PublicReadMiddleware(traffic: traffic))
        group.get("{resource}", use: resource)
        group.post("{resource}", use: create)
        group.get("services/{file}", use: serviceDefinition)
        group.get("requests/{file}", use: serviceRequest)
        group.get("tokens/{file}", use: token)
    }

    // MARK: Routes

    @Sendable func resource(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (name, format) = try Self.resource(context, "resource")
        try Self.checkJurisdiction(request.uri.queryParameters.get("jurisdiction_id"))
        switch name {
        case "discovery": return try discovery(request, format: format)
        case "services": return try await services(format: format)
        case "requests": return try await serviceRequests(request, format: format)
        case "servicerequestupdates": return try await updates(request, format: format)
        default: throw Open311Error(.notFound, "no resource \(name); see discovery.\(format.rawValue)")
        }
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (name, format) = try Self.resource(context, "resource")
        guard name == "requests" else { throw Open311Error(.methodNotAllowed, "only requests.\(format.rawValue) takes a POST") }
        let form = try await Self.form(request)
        try Self.checkJurisdiction(form["jurisdiction_id"])
        let partner: PartnerApp
        do {
            partner = try await gate.admit(apiKey: form["api_key"], from: context.clientAddress, noting: context.note)
        } catch PartnerGate.Refusal.unknownKey {
            throw Open311Error(.forbidden, "api_key is missing, unknown or disabled")
        }
        let catalogue = try await self.catalogue.current()
        let filed: FiledReport
        do {
            let submission = try ReportSubmission.check(Self.draft(form), catalogue: catalogue)
            filed = try await ReportIntake(database: database, catalogue: catalogue)
                .file(submission, partner: partner, actor: partner.auditActor.serving(request: context.id, client: context.clientRequestID))
        } catch let faults as SubmissionFaults {
            let unknownService = faults.faults.contains { $0.field == "service_code" && $0.code == .unknownValue }
            throw Open311Error(unknownService ? .notFound : .badRequest, faults: faults.faults)
        } catch IntakeRefusal.outsideScope(let district) {
            throw Open311Error(.forbidden, "this api_key may not file reports in district \(district)")
        }
        let notice = "Đã tiếp nhận; hạn trả lời \(LocalDay(containing: filed.dueAt.addingTimeInterval(-1)))"
        return try format.response(
            [
                Open311RequestCreated(
                    serviceRequestID: filed.trackingCode,
                    token: filed.token.uuidString.lowercased(),
                    serviceNotice: notice,
                    accountID: nil
                )
            ],
            root: "service_requests",
            item: "request"
        )
    }

    @Sendable func serviceDefinition(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (code, format) = try Self.resource(context, "file")
        try Self.checkJurisdiction(request.uri.queryParameters.get("jurisdiction_id"))
        guard let category = try await catalogue.current().category(code) else {
            throw Open311Error(.notFound, "no service has the code \(code)")
        }
        let definition = Open311ServiceDefinition(
            serviceCode: category.code,
            attributes: Open311List(
                category.attributes.map { attribute in
                    .init(
                        variable: true,
                        code: attribute.code,
                        datatype: attribute.datatype,
                        required: attribute.required,
                        datatypeDescription: "",
                        order: attribute.order,
                        description: attribute.description,
                        values: Open311List((attribute.values ?? []).map { .init(key: $0.key, name: $0.name) }, of: "value")
                    )
                },
                of: "attribute"
            )
        )
        return try format.response(definition, root: "service_definition")
    }

    @Sendable func serviceRequest(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (id, format) = try Self.resource(context, "file")
        try Self.checkJurisdiction(request.uri.queryParameters.get("jurisdiction_id"))
        var query = PublicReportQuery()
        query.trackingCodes = [id]
        let reports = try await query.run(in: database, scope: try await province.current(), actor: Self.publicActor)
        guard !reports.isEmpty else { throw Open311Error(.notFound, "no service request has the id \(id)") }
        return try format.response(reports.map(Self.serviceRequest), root: "service_requests", item: "request")
    }

    @Sendable func token(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (text, format) = try Self.resource(context, "file")
        try Self.checkJurisdiction(request.uri.queryParameters.get("jurisdiction_id"))
        var query = PublicReportQuery()
        guard let token = UUID(uuidString: text) else { throw Open311Error(.notFound, "no token \(text)") }
        query.tokens = [token]
        let reports = try await query.run(in: database, scope: try await province.current(), actor: Self.publicActor)
        guard let report = reports.first else { throw Open311Error(.notFound, "no token \(text)") }
        return try format.response(
            [Open311Token(serviceRequestID: report.trackingCode, token: report.token.uuidString.lowercased())],
            root: "service_requests",
            item: "request"
        )
    }

    // MARK: Resources without a parameter

    private func discovery(_ request: Request, format: Open311Format) throws -> Response {
        let host = request.head.authority ?? "127.0.0.1:8080"
        let changeset = "2026-11-29T00:00:00+07:00"
        return try format.response(
            Open311Discovery(
                changeset: changeset,
                contact: "Sở Khoa học và Công nghệ tỉnh Sơn La — tổ công nghệ số cộng đồng",
                keyService: "Partner apps get an api_key from the province's operators (cds-admin partners add).",
                endpoints: Open311List(
                    [
                        .init(
                            specification: "http://wiki.open311.org/GeoReport_v2",
                            url: "http://\(host)/open311/v2",
                            changeset: changeset,
                            type: "production",
                            formats: Open311List(["text/xml", "application/json"], of: "format")
                        )
                    ],
                    of: "endpoint"
                )
            ),
            root: "discovery"
        )
    }

    private func services(format: Open311Format) async throws -> Response {
        let catalogue = try await self.catalogue.current()
        return try format.response(
            catalogue.categories.map { category in
                Open311Service(
                    serviceCode: category.code,
                    serviceName: category.name,
                    description: category.description,
                    metadata: !category.attributes.isEmpty,
                    type: "realtime",
                    keywords: category.keywords.joined(separator: ", "),
                    group: category.group
                )
            },
            root: "services",
            item: "service"
        )
    }

    private func serviceRequests(_ request: Request, format: Open311Format) async throws -> Response {
        let parameters = request.uri.queryParameters
        var query = PublicReportQuery()
        if let ids = Self.list(parameters.get("service_request_id")) {
            query.trackingCodes = ids
        } else {
            query.categoryCodes = Self.list(parameters.get("service_code"))
            (query.submittedFrom, query.submittedUntil) = try Self.window(parameters.get("start_date"), parameters.get("end_date"))
            if let statuses = Self.list(parameters.get("status")) {
                guard statuses.allSatisfy({ $0 == "open" || $0 == "closed" }) else {
                    throw Open311Error(.badRequest, "status: must be open, closed or both (comma-separated)")
                }
                query.statuses = ReportStatus.allCases.filter { statuses.contains($0.open311) }
            }
        }
        (query.limit, query.offset) = try Self.page(parameters.get("page"), parameters.get("page_size"))
        let reports = try await query.run(in: database, scope: try await province.current(), actor: Self.publicActor)
        return try format.response(reports.map(Self.serviceRequest), root: "service_requests", item: "request")
    }

    private func updates(_ request: Request, format: Open311Format) async throws -> Response {
        let parameters = request.uri.queryParameters
        let (from, until) = try Self.window(parameters.get("start_date"), parameters.get("end_date"))
        let (limit, offset) = try Self.page(parameters.get("page"), parameters.get("page_size"))
        let updates = try await PublicUpdate.list(
            from: from,
            until: until,
            limit: limit,
            offset: offset,
            in: database,
            scope: try await province.current(),
            actor: Self.publicActor
        )
        return try format.response(
            updates.map { update in
                Open311RequestUpdate(
                    updateID: update.id,
                    serviceRequestID: update.trackingCode,
                    status: update.status.fixMyStreet,
                    updatedDatetime: Open311Format.timestamp(update.at),
                    description: update.message ?? "",
                    mediaURL: nil,
                    externalStatusCode: update.status.rawValue
                )
            },
            root: "service_request_updates",
            item: "request_update"
        )
    }

    // MARK: Reading the request

    /// The path parameter `name` as `resource.format`; a 404 for another extension.
    private static func resource(_ context: APIRequestContext, _ name: String) throws -> (String, Open311Format) {
        guard let value = context.parameters.get(name), let split = Open311Format.split(value), !split.name.isEmpty else {
            throw Open311Error(.notFound, "resources end in .xml or .json")
        }
        return split
    }

    private static func checkJurisdiction(_ value: String?) throws {
        guard let value, !value.isEmpty else { return }
        guard value == jurisdiction else { throw Open311Error(.notFound, "jurisdiction_id: this server serves jurisdiction \(jurisdiction) only") }
    }

    /// A comma-separated list; nil when absent or empty.
    private static func list(_ value: String?) -> [String]? {
        let items = value?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } ?? []
        return items.isEmpty ? nil : items
    }

    /// From `start_date` to `end_date`: at most 90 days; the 90 days before `end_date` (or now) when no start is
    /// given, the 90 days after `start_date` when no end is.
    private static func window(_ start: String?, _ end: String?) throws -> (Date, Date) {
        func date(_ text: String?, _ field: String) throws -> Date? {
            guard let text, !text.isEmpty else { return nil }
            guard let date = Open311Format.date(text) else {
                throw Open311Error(.badRequest, "\(field): must be a W3C date-time with its offset, e.g. 2026-11-01T00:00:00+07:00")
            }
            return date
        }
        let from = try date(start, "start_date")
        let until = try date(end, "end_date")
        switch (from, until) {
        case (let from?, let until?):
            guard from <= until else { throw Open311Error(.badRequest, "start_date: is after end_date") }
            guard until.timeIntervalSince(from) <= window else { throw Open311Error(.badRequest, "end_date: the span may not exceed 90 days") }
            return (from, until)
        case (let from?, nil): return (from, from.addingTimeInterval(window))
        case (nil, let until?): return (until.addingTimeInterval(-window), until)
        case (nil, nil):
            let now = Date()
            return (now.addingTimeInterval(-window), now)
        }
    }

    /// The `page` / `page_size` extension: page 1 of 1,000 unless told, no deeper than ``maximumDepth``.
    private static func page(_ page: String?, _ size: String?) throws -> (limit: Int, offset: Int) {
        let number =
            try page.map { text in
                guard let value = Int(text), value >= 1 else { throw Open311Error(.badRequest, "page: must be 1 or more") }
                return value
            } ?? 1
        let limit =
            try size.map { text in
                guard let value = Int(text), (1...maximumPageSize).contains(value) else {
                    throw Open311Error(.badRequest, "page_size: must be from 1 to \(maximumPageSize)")
                }
                return value
            } ?? maximumPageSize
        guard number <= maximumDepth / limit else {
            throw Open311Error(
                .badRequest,
                "page: at most the first \(maximumDepth) requests can be paged through (page \(maximumDepth / limit) of \(limit)); narrow start_date and end_date"
            )
        }
        return (limit, (number - 1) * limit)
    }

    /// The POST's form: form-encoded UTF-8, at most 64 KiB.
    private static func form(_ request: Request) async throws -> FormFields {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true else {
            throw Open311Error(.badRequest, "send the request as application/x-www-form-urlencoded")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBody)
        } catch {
            throw Open311Error(.contentTooLarge, "the form may be at most \(maximumBody / 1024) KiB")
        }
        guard let text = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw Open311Error(.badRequest, "the form is not UTF-8")
        }
        return try FormFields(encoded: text)
    }

    /// The report the form describes; `attribute[code]` and `attribute[code][]` answer the category's questions.
    private static func draft(_ form: FormFields) -> ReportDraft {
        var draft = ReportDraft()
        draft.categoryCode = form["service_code"]
        draft.location = form["address_id"]
        draft.latitude = form["lat"]
        draft.longitude = form["long"]
        draft.address = form["address_string"]
        draft.description = form["description"]
        draft.mediaURLs = form.all("media_url")
        for (name, value) in form.fields where name.hasPrefix("attribute[") {
            let code = name.dropFirst("attribute[".count).prefix { $0 != "]" }
            draft.attributes[String(code), default: []].append(value)
        }
        let name = [form["first_name"], form["last_name"]].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " ")
        draft.contactName = name.isEmpty ? nil : name
        draft.contactPhone = form["phone"]
        draft.contactEmail = form["email"]
        return draft
    }

    private static func serviceRequest(_ report: PublicReport) -> Open311ServiceRequest {
        Open311ServiceRequest(
            serviceRequestID: report.trackingCode,
            status: report.status.open311,
            statusNotes: report.statusNotes,
            serviceName: report.categoryName,
            serviceCode: report.categoryCode,
            description: report.description,
            agencyResponsible: report.agency,
            serviceNotice: nil,
            requestedDatetime: Open311Format.timestamp(report.submittedAt),
            updatedDatetime: Open311Format.timestamp(report.updatedAt),
            expectedDatetime: Open311Format.timestamp(report.dueAt),
            address: report.address,
            addressID: report.location.description,
            zipcode: nil,
            lat: report.latitude,
            long: report.longitude,
            mediaURL: report.mediaURLs.first
        )
    }
}
