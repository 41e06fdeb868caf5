import Foundation
import Testing
import TestSupport

/// The PySpark job (scripts/spark/costreplay_spark.py) on `local[2]` against one machine, through
/// scripts/spark/check_spark.py: 20,000 synthetic requests as Parquet; the 200,000-request run is in docs/spark.md.
@Suite struct SparkJobTests {
    /// python3 as PATH finds it: pip (scripts/setup.sh) installs into that one, which may not be /usr/bin/python3.
    static let python: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { $0 + "/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Why the test cannot run here, or nil: it needs python3 with pyspark and pyarrow, and a Java runtime.
    static let missing: String? = {
        guard let python else { return "python3 is absent" }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: python)
        probe.arguments = ["-c", "import pyspark, pyarrow, shutil, sys; sys.exit(0 if shutil.which('java') else 3)"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return "python3 does not start" }
        probe.waitUntilExit()
        switch probe.terminationStatus {
        case 0: return nil
        case 3: return "no java on PATH (PySpark needs Java 17)"
        default: return "the pip packages pyspark and pyarrow are not installed (scripts/setup.sh installs them)"
        }
    }()

    @Test(.enabled(if: missing == nil, Comment(rawValue: "needs PySpark: \(missing ?? "")")))
    func theSparkJobMergesToTheSingleMachineDocumentCostReportAndBaseline() throws {
        let work = Fixtures.temporaryDirectory().path
        let result = try Subprocess.run([Self.python!, Fixtures.root.appendingPathComponent("scripts/spark/check_spark.py").path,
                                         "--requests", "20000", "--partitions", "3", "--binary", CLI.binary, "--work", work])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr.suffix(3000))")
        #expect(result.stdout.contains("simulate: 9 points, 20000 requests;"))
        #expect(result.stdout.contains("9 points with intervals; identical"))
        #expect(result.stdout.contains("cost --by day: identical"))
        #expect(result.stdout.contains("baseline: identical"))
    }
}
