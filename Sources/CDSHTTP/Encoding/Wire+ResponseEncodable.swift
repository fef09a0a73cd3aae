import CDSWire
import Hummingbird

// The wire types are answered as they are, encoded by the request context's `WireCoding.encoder`.
extension Wire.Page: ResponseEncodable, ResponseGenerator where Item: Encodable {}
extension Wire.Team: ResponseEncodable, ResponseGenerator {}
extension Wire.Member: ResponseEncodable, ResponseGenerator {}
extension Wire.AuditEntry: ResponseEncodable, ResponseGenerator {}
extension Wire.TrainingSession: ResponseEncodable, ResponseGenerator {}
extension Wire.Attendee: ResponseEncodable, ResponseGenerator {}
extension Wire.Activity: ResponseEncodable, ResponseGenerator {}
extension Wire.Unit: ResponseEncodable, ResponseGenerator {}
extension Wire.User: ResponseEncodable, ResponseGenerator {}
extension Wire.Grant: ResponseEncodable, ResponseGenerator {}
extension Wire.Token: ResponseEncodable, ResponseGenerator {}
extension Wire.Role: ResponseEncodable, ResponseGenerator {}
extension Wire.Me: ResponseEncodable, ResponseGenerator {}
extension Wire.SyncClient: ResponseEncodable, ResponseGenerator {}
extension Wire.Invitation: ResponseEncodable, ResponseGenerator {}
extension Wire.FeedbackReport: ResponseEncodable, ResponseGenerator {}
