#include "moat/report/render.hpp"

#include <gtest/gtest.h>

namespace {

moat::Report sample_report() {
  moat::Report report;
  moat::Finding finding;
  finding.rule_id = "B602";
  finding.title = "subprocess_popen_with_shell_equals_true";
  finding.message = "subprocess call with shell=True identified, security issue.";
  finding.severity = moat::Severity::high;
  finding.cwe = 78;
  finding.location = {"pkg/a,b:c.py", 12, 4, 12, 30};
  finding.snippet = "sp.call(cmd, shell=True)";
  report.findings.push_back(finding);
  report.errors.push_back({"broken.py", "SyntaxError: invalid syntax (line 1, column 5)"});
  return report;
}

TEST(Render, JsonHasTheContractShape) {
  auto report = sample_report();
  moat::fill_fingerprints(report.findings);
  const auto json = nlohmann::json::parse(moat::report::render_json(report, {}));
  EXPECT_EQ(json["version"], 1);
  EXPECT_EQ(json["tool"]["name"], "moat");
  const auto& finding = json["findings"][0];
  EXPECT_EQ(finding["rule_id"], "B602");
  EXPECT_EQ(finding["severity"], "high");
  EXPECT_EQ(finding["cwe"], 78);
  EXPECT_EQ(finding["line"], 12);
  EXPECT_EQ(finding["column"], 4);
  EXPECT_EQ(finding["category"], "code");
  EXPECT_EQ(finding["fingerprint"].get<std::string>().size(), 32u);
  EXPECT_EQ(json["errors"][0]["path"], "broken.py");
}

TEST(Render, FingerprintIgnoresLineAndWhitespace) {
  auto a = sample_report().findings[0];
  auto b = a;
  b.location.line = 99;
  b.snippet = "sp.call(cmd,   shell=True)";
  EXPECT_EQ(moat::compute_fingerprint(a), moat::compute_fingerprint(b));
  b.rule_id = "B603";
  EXPECT_NE(moat::compute_fingerprint(a), moat::compute_fingerprint(b));
}

TEST(Render, GithubAnnotationsEscapeProperties) {
  const auto out = moat::report::render_github(sample_report());
  EXPECT_NE(out.find("::error file=pkg/a%2Cb%3Ac.py,line=12,endLine=12,col=5,endColumn=31,title=B602 "),
            std::string::npos)
      << out;
}

TEST(Render, TextSummarisesBySeverity) {
  const auto out = moat::report::render_text(sample_report(), {});
  EXPECT_NE(out.find("pkg/a,b:c.py:12:5: B602 [high]"), std::string::npos) << out;
  EXPECT_NE(out.find("1 finding (1 high)"), std::string::npos) << out;
  EXPECT_NE(out.find("error: broken.py"), std::string::npos) << out;
}

TEST(Render, MarkdownEscapesCells) {
  auto report = sample_report();
  report.findings[0].message = "a | b";
  const auto out = moat::report::render_markdown(report);
  EXPECT_NE(out.find("a \\| b"), std::string::npos) << out;
}

}  // namespace

namespace {

/// The Bandit JSON document built as one tree and dumped the way Bandit's keys and indent need.
std::string bandit_json_as_tree(const moat::Report& report, const nlohmann::json& metrics) {
  nlohmann::json document;
  document["errors"] = nlohmann::json::array();
  for (const auto& error : report.errors) document["errors"].push_back({{"filename", error.path}, {"reason", error.message}});
  document["generated_at"] = "2026-01-31T12:00:00Z";
  document["metrics"] = metrics;
  document["results"] = nlohmann::json::array();
  for (const auto& finding : report.findings) document["results"].push_back(moat::report::bandit_result(finding));
  return document.dump(2, ' ', true, nlohmann::json::error_handler_t::replace);
}

}  // namespace

TEST(Render, BanditJsonIsWhatTheDumpedTreeWouldBe) {
  moat::Report report = sample_report();
  moat::Finding hostile = report.findings.front();
  hostile.message = "quote \" backslash \\ tab \t newline \n caf\xc3\xa9 \xf0\x9f\x90\x8d ctl \x01" ".";
  hostile.location.path = "./pkg/\xc3\xbc" "ber.py";
  hostile.details = {{"code", "3 x = \"\xe2\x82\xac" "\"\n4 y\n"}, {"line_range", {3, 4}}, {"test_name", "demo"}};
  hostile.cwe = 78;
  report.findings.push_back(hostile);
  // ASCII-only text takes the writer's own escaping (the non-ASCII above goes through nlohmann).
  moat::Finding ascii = report.findings.front();
  ascii.message = "q \" b \\ t \t n \n r \r bs \b ff \f ctl \x01 \x1f del \x7f end";
  ascii.details = {{"code", "7 s = \"\\x\"\r\n8 \t\x02\n"}, {"line_range", {7}}, {"test_name", "ascii"}};
  ascii.cwe.reset();
  report.findings.push_back(ascii);
  report.errors.push_back({"./bad \"file\".py", "syntax error while parsing AST from file"});
  moat::report::RenderOptions options;
  options.generated_at = "2026-01-31T12:00:00Z";

  // Counts recorded by the scanner, insertion-ordered: written sorted.
  nlohmann::ordered_json recorded;
  recorded["./z.py"] = {{"loc", 3}, {"SEVERITY.HIGH", 1}, {"CONFIDENCE.LOW", 0}};
  recorded["_totals"] = {{"nosec", 2}, {"loc", 3}};
  recorded["./a.py"] = nlohmann::ordered_json::object();
  report.stats["bandit_metrics"] = recorded;
  EXPECT_EQ(moat::report::render_bandit_json(report, options), bandit_json_as_tree(report, nlohmann::json::parse(recorded.dump())));

  // No recorded counts: counted from the findings.
  report.stats.erase("bandit_metrics");
  const std::string rendered = moat::report::render_bandit_json(report, options);
  const auto parsed = nlohmann::json::parse(rendered);
  EXPECT_EQ(rendered, bandit_json_as_tree(report, parsed["metrics"]));
  EXPECT_EQ(parsed["metrics"]["_totals"]["SEVERITY.HIGH"].get<int>() + parsed["metrics"]["_totals"]["SEVERITY.MEDIUM"].get<int>() +
                parsed["metrics"]["_totals"]["SEVERITY.LOW"].get<int>() + parsed["metrics"]["_totals"]["SEVERITY.UNDEFINED"].get<int>(),
            static_cast<int>(report.findings.size()));
}

// Strings are scanned sixteen bytes at a time: every escape, and a non-ASCII byte, at every offset
// around the block edges must come out as nlohmann's dump writes it.
TEST(Render, BanditJsonEscapesAtEveryOffset) {
  moat::Report report = sample_report();
  const moat::Finding model = report.findings.front();
  report.findings.clear();
  for (const std::string special : {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9"}) {
    for (std::size_t length = 1; length <= 40; ++length) {
      for (std::size_t at = 0; at + special.size() <= length; at += 3) {
        moat::Finding finding = model;
        finding.message = std::string(at, 'a') + special + std::string(length - at - special.size(), 'b');
        finding.details = {{"code", std::string(length, ' ') + special}, {"test_name", "edges"}};
        report.findings.push_back(finding);
      }
    }
  }
  moat::report::RenderOptions options;
  options.generated_at = "2026-01-31T12:00:00Z";
  const std::string rendered = moat::report::render_bandit_json(report, options);
  EXPECT_EQ(rendered, bandit_json_as_tree(report, nlohmann::json::parse(rendered)["metrics"]));
}
