extension QueueView {
    /// One human line for `STATUS=` and logs: `idle · 0 pending`,
    /// `3 queued · 1 rejected · 2 waiting`.
    public var summary: String {
        var parts: [String] = []
        if queue.isEmpty { parts.append("idle · 0 pending") } else { parts.append("\(queue.count) queued") }
        if !held.isEmpty { parts.append("\(held.count) held") }
        if !waiting.isEmpty { parts.append("\(waiting.count) waiting") }
        if !rejected.isEmpty { parts.append("\(rejected.count) rejected") }
        return parts.joined(separator: " · ")
    }
}
