import FoundationEssentials

extension ZoneRules {
    /// The zone name `identifier` was probably meant to be when it differs only in case
    /// (`europe/berlin` → `Europe/Berlin`), for the "did you mean" of a configuration
    /// error; `nil` when no zone file matches.
    public static func spelling(of identifier: String, directory: String = ZoneRules.directory) -> String? {
        guard isPlausible(identifier) else { return nil }
        var path = directory
        var found: [String] = []
        for part in identifier.split(separator: "/") {
            let lowered = part.lowercased()
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: path),
                  let match = entries.sorted().first(where: { $0.lowercased() == lowered }) else { return nil }
            found.append(match)
            path += "/" + match
        }
        let spelled = found.joined(separator: "/")
        return ZoneRules(identifier: spelled, directory: directory) == nil ? nil : spelled
    }
}
