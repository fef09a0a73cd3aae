/// The JSON shapes of the admin API, written once: the server encodes them and `cds-admin` decodes them.
///
/// Each is a plain value whose Swift names are the wire names in camel case; ``WireCoding`` turns them into the
/// API's snake_case. Absent values are written as `null`, never left out (``KeyedEncodingContainer`` overloads in
/// this module), and ids in lowercase, as PostgreSQL writes them and as cursors and `Location` headers carry them.
/// `openapi.json` describes the same shapes; the admin API's tests check every answer against it.
public enum Wire {}
