import Foundation

/// A progress bar on standard error, redrawn in place: only when standard error is a terminal and the console is
/// the real one, so that pipes, logs and tests see the summary alone.
struct ProgressBar {
    let label: String
    let total: Int
    private let isShown: Bool
    private var drawnPercent = -1

    init(_ label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
        isShown = Console.current === Console.standard && isatty(STDERR_FILENO) == 1
    }

    /// Shows `done` of the total; redraws only when the percentage moves.
    mutating func update(_ done: Int) {
        guard isShown else { return }
        let percent = min(100, done * 100 / total)
        guard percent != drawnPercent else { return }
        drawnPercent = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(percent)% \(min(done, total))/\(total)".utf8))
    }

    /// Clears the bar's line, for what is printed next.
    func finish() {
        guard isShown, drawnPercent >= 0 else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
