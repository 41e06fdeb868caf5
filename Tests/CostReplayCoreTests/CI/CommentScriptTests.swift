import Foundation
import Testing
import TestSupport

/// scripts/ci/sticky-comment.sh and cost-gate.sh (what action.yml and the GitLab template run) against a local
/// stand-in for the GitHub and GitLab APIs serving their documented response shapes.
@Suite(.serialized) struct CommentScriptTests {
    static let marker = "<!-- costreplay-cost-check -->"
    let body = Fixtures.write("### CostReplay cost check\n\n| | baseline | this change |\n", name: "comment.md")
    static let comments = "/repos/octo-org/llm-app/issues/9/comments"

    func script(_ name: String, _ arguments: [String], _ environment: [String: String]) throws -> CLI.Result {
        try Subprocess.run(["/bin/bash", Fixtures.root.appendingPathComponent("scripts/ci/\(name)").path] + arguments,
                           environment: environment)
    }

    func github(_ api: FakeAPI) -> [String: String] {
        ["GITHUB_TOKEN": "ghs_test-token", "GITHUB_REPOSITORY": "octo-org/llm-app", "PR_NUMBER": "9", "GITHUB_API_URL": api.url]
    }

    /// GitHub's page of comments with the marker comment removed.
    func commentsWithoutMarker() throws -> [[String: Any]] {
        let page = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Fixtures.trace("ci-api/github-issue-comments.json")))) as! [[String: Any]]
        return page.filter { !($0["body"] as! String).contains(Self.marker) }
    }

    @Test func withoutAnEarlierCommentOneIsPostedWithTheMarkerAndTheBody() throws {
        let api = try FakeAPI([
            "GET \(Self.comments)?per_page=100&page=1": (200, try commentsWithoutMarker()),
            "POST \(Self.comments)": (201, ["id": 3003, "body": "…"]),
        ])
        let result = try script("sticky-comment.sh", ["github", body], github(api))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "created 3003\n")
        #expect(try api.summary() == ["GET \(Self.comments)?per_page=100&page=1", "POST \(Self.comments)"])
        let post = try #require(try api.requests().last)
        #expect((post["body"] as? [String: String])?["body"] == Self.marker + "\n### CostReplay cost check\n\n| | baseline | this change |\n")
        #expect((post["headers"] as? [String: String])?["Authorization"] == "Bearer ghs_test-token")
    }

    @Test func theEarlierCommentIsFoundOnALaterPageAndUpdatedInPlace() throws {
        let filler = try commentsWithoutMarker()[0]
        let fullPage = (0..<100).map { index in filler.merging(["id": 5000 + index]) { $1 } }
        let api = try FakeAPI([
            "GET \(Self.comments)?per_page=100&page=1": (200, fullPage),
            "GET \(Self.comments)?per_page=100&page=2": (200, "github-issue-comments.json"),
            "PATCH /repos/octo-org/llm-app/issues/comments/1002": (200, ["id": 1002]),
        ])
        let result = try script("sticky-comment.sh", ["github", body], github(api))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "updated 1002\n")
        #expect(try api.summary() == ["GET \(Self.comments)?per_page=100&page=1", "GET \(Self.comments)?per_page=100&page=2",
                                      "PATCH /repos/octo-org/llm-app/issues/comments/1002"])
    }

    @Test func aRefusedTokenIsExitCode3WithTheAPIsAnswer() throws {
        let api = try FakeAPI([
            "GET \(Self.comments)?per_page=100&page=1": (200, try commentsWithoutMarker()),
            "POST \(Self.comments)": (403, ["message": "Resource not accessible by integration"]),
        ])
        let result = try script("sticky-comment.sh", ["github", body], github(api))
        #expect(result.status == 3)
        #expect(result.stderr == "sticky-comment: POST \(api.url)\(Self.comments) answered HTTP 403: {\"message\": \"Resource not accessible by integration\"}\n")
    }

    @Test func aMissingSettingIsExitCode2() throws {
        let result = try script("sticky-comment.sh", ["github", body], ["GITHUB_TOKEN": "", "PR_NUMBER": "9"])
        #expect(result.status == 2)
        #expect(result.stderr == "sticky-comment: GITHUB_TOKEN is not set\n")
    }

    @Test func onGitLabTheMergeRequestNoteIsUpdatedWithAPUT() throws {
        let notes = "/projects/42/merge_requests/7/notes"
        let api = try FakeAPI([
            "GET \(notes)?per_page=100&page=1": (200, "gitlab-mr-notes.json"),
            "PUT \(notes)/555": (200, ["id": 555]),
        ])
        let result = try script("sticky-comment.sh", ["gitlab", body],
                                ["GITLAB_TOKEN": "glpat-test", "CI_PROJECT_ID": "42", "CI_MERGE_REQUEST_IID": "7", "CI_API_V4_URL": api.url])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "updated 555\n")
        #expect(try api.summary() == ["GET \(notes)?per_page=100&page=1", "PUT \(notes)/555"])
        #expect((try api.requests().last?["headers"] as? [String: String])?["PRIVATE-TOKEN"] == "glpat-test")
    }

    /// The gate over a synthetic trace with prompts 300 tokens longer: over a 5% budget.
    func overBudget(_ environment: [String: String]) throws -> (CLI.Result, URL) {
        let dir = Fixtures.temporaryDirectory()
        let db = dir.appendingPathComponent("g.db").path
        // The bundled sample is generated by run-sample.sh, not committed: a smaller trace from the same generator.
        let trace = dir.appendingPathComponent("t.jsonl").path
        #expect(try CLI.run(["synth", "--requests", "5000", "--seed", "42", "--days", "28", "--out", trace]).status == 0)
        #expect(try CLI.run(["ingest", trace, "--db", db]).status == 0)
        let baseline = dir.appendingPathComponent("baseline.json").path
        #expect(try CLI.run(["baseline", "create", "--db", db, "--out", baseline]).status == 0)
        let longer = dir.appendingPathComponent("longer.yaml").path
        try "scenarios: [{name: longer, strategies: [{prompt_change: {add_tokens: 300}}]}]".write(toFile: longer, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let summary = dir.appendingPathComponent("summary.md")
        _ = FileManager.default.createFile(atPath: summary.path, contents: nil)
        var env = environment
        env["COSTREPLAY"] = CLI.binary
        env["COSTREPLAY_OUT"] = out.path
        env["GITHUB_STEP_SUMMARY"] = summary.path
        let result = try script("cost-gate.sh", ["--db", db, "--baseline", baseline, "--scenario", longer, "--max-increase", "5"], env)
        return (result, out)
    }

    @Test func theGateExits1OverBudgetAfterCommentingAndWritingJUnit() throws {
        let api = try FakeAPI([
            "GET \(Self.comments)?per_page=100&page=1": (200, "github-issue-comments.json"),
            "PATCH /repos/octo-org/llm-app/issues/comments/1002": (200, ["id": 1002]),
        ])
        let (result, out) = try overBudget(github(api))
        #expect(result.status == 1)
        let markdown = try String(contentsOf: out.appendingPathComponent("cost-comment.md"), encoding: .utf8)
        #expect(markdown.contains("over budget"))
        let sent = try #require(try api.requests().last?["body"] as? [String: String])
        #expect(sent["body"] == Self.marker + "\n" + markdown)
        let junit = try String(contentsOf: out.appendingPathComponent("cost-junit.xml"), encoding: .utf8)
        #expect(junit.contains("<failure"))
    }

    @Test func aCommentThatCannotBePostedLeavesTheVerdict() throws {
        let api = try FakeAPI(["GET \(Self.comments)?per_page=100&page=1": (403, ["message": "Must have admin rights to Repository."])])
        let (result, _) = try overBudget(github(api))
        #expect(result.status == 1)
        #expect(result.stderr.hasSuffix("warning: the cost comment was not posted (see above); the verdict stands\n"))
    }
}
