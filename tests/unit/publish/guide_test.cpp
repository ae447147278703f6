#include "moat/publish/guide.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "moat/publish/publish.hpp"

namespace {

TEST(Guide, ExampleWorkflowPassesEveryAudit) {
  moat::Report report;
  moat::publish::audit_text(std::string(moat::publish::guide_example_workflow()), "release.yml",
                            moat::publish::InputKind::github_workflow, report);
  EXPECT_TRUE(report.errors.empty());
  for (const auto& finding : report.findings)
    ADD_FAILURE() << finding.rule_id << " at " << finding.location.line << ": " << finding.message;
}

TEST(Guide, ExampleWorkflowReallyPublishesWithTrustedPublishing) {
  // The example must stay a publishing workflow; otherwise "passes every audit" would mean nothing.
  const std::string workflow(moat::publish::guide_example_workflow());
  EXPECT_NE(workflow.find("pypa/gh-action-pypi-publish@"), std::string::npos);
  EXPECT_NE(workflow.find("id-token: write"), std::string::npos);
  // Dropping the environment makes MOAT-WF009 fire: the audits do run on it.
  std::string without_environment = workflow;
  without_environment.replace(without_environment.find("    environment:\n"), 17, "    x-environment:\n");
  moat::Report report;
  moat::publish::audit_text(without_environment, "release.yml", moat::publish::InputKind::github_workflow, report);
  ASSERT_EQ(report.findings.size(), 1U);
  EXPECT_EQ(report.findings[0].rule_id, "MOAT-WF009");
}

TEST(Guide, TerminalTextAndDocsPageCarryTheSameWorkflow) {
  const std::string text = moat::publish::publish_guide_text();
  for (const char* topic : {"security key", "Trusted Publishing", "Scope it to one project", "PEP 740",
                            "moat scan dist/", "SOURCE_DATE_EPOCH", "moat sign"})
    EXPECT_NE(text.find(topic), std::string::npos) << topic;
  std::ifstream docs(std::string(MOAT_SOURCE_DIR) + "/docs/publishing.md");
  ASSERT_TRUE(docs) << "docs/publishing.md is missing";
  std::stringstream page;
  page << docs.rdbuf();
  EXPECT_NE(page.str().find(std::string(moat::publish::guide_example_workflow())), std::string::npos)
      << "docs/publishing.md must contain the guide's example workflow verbatim";
}

TEST(RuleDocs, EveryRuleIsFullyDocumentedWithAUniqueId) {
  std::set<std::string_view> ids;
  std::ifstream docs(std::string(MOAT_SOURCE_DIR) + "/docs/publishing.md");
  std::stringstream page;
  page << docs.rdbuf();
  for (const auto& doc : moat::publish_rule_docs()) {
    EXPECT_TRUE(ids.insert(doc.id).second) << doc.id;
    EXPECT_TRUE(doc.id.starts_with("MOAT-WF0") || doc.id.starts_with("MOAT-CR0")) << doc.id;
    for (std::string_view field : {doc.title, doc.what, doc.why, doc.example, doc.fix, doc.references})
      EXPECT_FALSE(field.empty()) << doc.id;
    EXPECT_NE(page.str().find("### " + std::string(doc.id)), std::string::npos) << doc.id << " missing from docs";
  }
  EXPECT_EQ(ids.size(), 16U);
}

}  // namespace
