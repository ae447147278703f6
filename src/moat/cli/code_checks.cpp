#include "moat/cli/code_checks.hpp"

#include "moat/deps/typosquat.hpp"
#include "moat/lint/linter.hpp"
#include "moat/native/artifact.hpp"

namespace moat::cli {

dist::PythonScanner python_code_checks(lint::LintOptions options) {
  return [options = std::move(options)](std::string_view location, std::string_view source) {
    Report code = lint::make_report({lint::lint_source(std::string(location), source, options)});
    return std::move(code.findings);
  };
}

dist::NameChecker typosquat_check() {
  return [](std::string_view name, std::string_view location) {
    std::vector<Finding> findings;
    if (const auto squat = deps::PopularNames::embedded().check(name))
      findings.push_back(deps::typosquat_finding(name, *squat, Category::artifact, Location{std::string(location)},
                                                 "Name: " + std::string(name)));
    return findings;
  };
}

namespace {

class NativeSession final : public dist::MemberScanSession {
 public:
  explicit NativeSession(native::AnalyzeOptions options) : m_scanner(std::move(options)) {}

  void member(const std::string& location, const dist::EntryInfo& entry, std::string_view data, bool buffered) override {
    if (buffered) m_scanner.add_member(location, entry.path, std::as_bytes(std::span(data.data(), data.size())));
    else m_scanner.add_unread_member(entry.path, entry.size);
  }

  std::vector<Finding> finish(nlohmann::ordered_json& summary_section) override {
    auto result = std::move(m_scanner).finish();
    summary_section = std::move(result.summary);
    return std::move(result.findings);
  }

 private:
  native::ArtifactScanner m_scanner;
};

}  // namespace

dist::MemberScanner native_binary_checks() {
  return {"native", [](const dist::MemberScanContext& context) -> std::unique_ptr<dist::MemberScanSession> {
            native::AnalyzeOptions options;
            options.claimed_platform_tag = context.platform_tag;
            return std::make_unique<NativeSession>(std::move(options));
          }};
}

}  // namespace moat::cli
