/// Builds the text of a revision file for tests.
public enum RevisionText {
    /// A revision file with the given header and sections; `downgrade: nil` leaves the
    /// section out (irreversible).
    public static func make(_ id: String, revises: [String] = [], message: String? = nil, extraHeaders: [String] = [],
                            upgrade: String, downgrade: String?) -> String {
        var lines = [
            "-- \(message ?? "Revision \(id)")",
            "--",
            "-- Revision ID: \(id)",
            "-- Revises: \(revises.isEmpty ? "None" : revises.joined(separator: ", "))",
            "-- Create Date: 2026-11-24 10:15:00+00:00",
        ]
        lines += extraHeaders.map { "-- \($0)" }
        lines += ["", "-- +upgrade", upgrade]
        if let downgrade { lines += ["", "-- +downgrade", downgrade] }
        return lines.joined(separator: "\n") + "\n"
    }
}
