/// `[metrics]`: where the daemon writes its metrics for Prometheus.
public struct MetricsSettings: Sendable, Equatable {
    /// The file (absolute, `*.prom`) the daemon replaces after every change, in the
    /// directory node_exporter's textfile collector reads; `nil`: no metrics file.
    public var textfile: String?

    /// No metrics file.
    public init(textfile: String? = nil) {
        self.textfile = textfile
    }
}
