/// Writes a Jupyter notebook (nbformat 4) that loads a replay's tidy CSV files with pandas and
/// redraws the main charts with matplotlib. The template lives in notebooks-export/ in the
/// repository; this is the same content, with the CSV folder filled in.
public enum NotebookExport {
    public static func notebook(csvDirectory: String, title: String) -> String {
        let cells: [(String, String)] = [
            ("markdown", """
                # \(title)

                This notebook reads the tidy CSV files CostReplay wrote (`scenarios.csv`, `levers.csv`, `rates.csv`, `daily.csv`;
                columns in docs/report-formats.md) and redraws the report's main charts. Figures are as replayed; intervals are
                95% (bootstrap over whole days for money, Clopper–Pearson for rates).
                """),
            ("code", """
                import os
                import pandas as pd
                import matplotlib.pyplot as plt
                folder = \(JSONText.quote(csvDirectory))
                scenarios = pd.read_csv(os.path.join(folder, "scenarios.csv"))
                levers = pd.read_csv(os.path.join(folder, "levers.csv"))
                rates = pd.read_csv(os.path.join(folder, "rates.csv"))
                daily = pd.read_csv(os.path.join(folder, "daily.csv"))
                scenarios
                """),
            ("markdown", "## Savings by scenario\nThe bars are the savings against the baseline; the whiskers their 95% interval."),
            ("code", """
                points = scenarios[scenarios.point != "baseline"]
                fig, ax = plt.subplots(figsize=(8, 0.5 + 0.4 * len(points)))
                low = (points.savings_usd - points.savings_low_usd).fillna(0)
                high = (points.savings_high_usd - points.savings_usd).fillna(0)
                ax.barh(points.point, points.savings_usd, xerr=[low, high], color="#2da44e")
                ax.set_xlabel("savings (USD)")
                fig.tight_layout()
                """),
            ("markdown", "## Savings by lever\nEach lever's saving in order (the waterfall adds up to the scenario's saving)."),
            ("code", """
                waterfall = levers[levers.method == "waterfall"]
                for point, rows in waterfall.groupby("point", sort=False):
                    if len(rows) < 2:
                        continue
                    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.4 * len(rows)))
                    ax.barh(rows.strategy, rows.savings_usd, color=["#2da44e" if v >= 0 else "#cf222e" for v in rows.savings_usd])
                    ax.set_title(point)
                    ax.set_xlabel("savings (USD)")
                    fig.tight_layout()
                waterfall.pivot_table(index="point", columns="strategy", values="savings_usd", aggfunc="sum")
                """),
            ("markdown", "## Cost per day"),
            ("code", """
                fig, ax = plt.subplots(figsize=(9, 4))
                first = daily[daily.point == daily.point.iloc[0]]
                ax.plot(pd.to_datetime(first.day), first.baseline_usd, label="baseline", color="#57606a")
                for point, rows in daily.groupby("point", sort=False):
                    ax.plot(pd.to_datetime(rows.day), rows.cost_usd, label=point)
                ax.set_ylabel("USD per day")
                ax.legend(fontsize=8)
                fig.autofmt_xdate()
                """),
            ("markdown", "## Observed rates with exact intervals"),
            ("code", "rates"),
        ]
        let rendered = cells.enumerated().map { index, cell -> String in
            let (kind, source) = cell
            var o = JSONText.Object()
            o.add("cell_type", kind)
            o.add("id", "cell-\(index + 1)")
            o.add("metadata", raw: "{}")
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            o.add("source", raw: "[" + lines.enumerated().map { JSONText.quote($0.element + ($0.offset < lines.count - 1 ? "\n" : "")) }.joined(separator: ",") + "]")
            if kind == "code" {
                o.add("execution_count", raw: "null")
                o.add("outputs", raw: "[]")
            }
            return o.text
        }
        return "{\"cells\":[" + rendered.joined(separator: ",\n") + "],\n"
            + "\"metadata\":{\"kernelspec\":{\"display_name\":\"Python 3\",\"language\":\"python\",\"name\":\"python3\"},"
            + "\"language_info\":{\"name\":\"python\"}},\"nbformat\":4,\"nbformat_minor\":5}\n"
    }
}
