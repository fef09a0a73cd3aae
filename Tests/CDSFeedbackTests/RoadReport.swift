/// A report of a broken road in Phường Chiềng Lề (116), with the citizen's contact.
let roadReport: [(String, String)] = [
    ("service_code", "giao-thong"), ("address_id", "03646"), ("lat", "21.3256"), ("long", "103.9188"),
    ("address_string", "Đường Tô Hiệu, tổ 3"), ("description", "Đường bị sạt lở một nửa,\nxe máy đi rất nguy hiểm."),
    ("attribute[blocked]", "no"), ("media_url", "https://anh.example.vn/sat-lo.jpg"),
    ("first_name", "Lò Thị"), ("last_name", "Mai"), ("phone", "0912 345 678"), ("email", "mai.lo@example.vn"),
]
