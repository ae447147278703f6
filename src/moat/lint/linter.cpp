#include "moat/lint/linter.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_set>

#include "moat/lint/rules/rules.hpp"
#include "moat/lint/suppression.hpp"
#include "moat/python/visitor.hpp"
#include "moat/util/bytes.hpp"
#include "moat/util/file.hpp"
#include "moat/util/parallel.hpp"

namespace moat::lint {

namespace {

/// Bandit's module name for a path: the file stem, prefixed by each enclosing package directory.
std::string module_path_for(std::string_view path) {
  std::filesystem::path file(path);
  std::string name = file.stem().string();
  std::filesystem::path directory = file.parent_path();
  std::error_code error;
  for (int depth = 0; depth < 64 && !directory.empty() && directory != directory.root_path(); ++depth) {
    if (!std::filesystem::is_regular_file(directory / "__init__.py", error)) break;
    name = directory.filename().string() + "." + name;
    directory = directory.parent_path();
  }
  return name;
}

/// Bandit's loc metric: lines (split at \n, \r and \r\n) that hold something besides whitespace and
/// comments. One pass: past a line's first non-blank byte only the next line break matters.
int count_loc(std::string_view bytes) {
  int loc = 0;
  const char* at = bytes.data();
  const char* const end = at + bytes.size();
  while (at < end) {
    at = skip_spaces(at, end);
    while (at < end && (*at == ' ' || *at == '\t' || *at == '\v' || *at == '\f')) ++at;
    if (at == end) break;
    if (*at != '\n' && *at != '\r') {
      if (*at != '#') ++loc;
      at = find_any_byte(at, end, std::array{'\n', '\r'});
      if (at == end) break;
    }
    at += *at == '\r' && at + 1 < end && at[1] == '\n' ? 2 : 1;
  }
  return loc;
}

/// count_loc() for source that is the file's bytes unchanged (no BOM, no CR): its line index
/// already splits the lines, so only each line's first non-blank byte is looked at.
int count_loc(const py::ParseResult& parsed) {
  const std::string_view text = parsed.source();
  const LineIndex& lines = parsed.lines();
  int loc = 0;
  for (std::uint32_t line = 1; line <= lines.line_count(); ++line) {
    const char* at = skip_spaces(text.data() + lines.line_start(line), text.data() + text.size());
    while (at < text.data() + text.size() && (*at == ' ' || *at == '\t' || *at == '\v' || *at == '\f')) ++at;
    if (at < text.data() + text.size() && *at != '\n' && *at != '#') ++loc;
  }
  return loc;
}

class Linter {
 public:
  Linter(const py::ParseResult& parsed, FileResult& result, const LintOptions& options,
         const semantic::SemanticModel* model)
      : parsed_(parsed), model_(model), checker_(parsed, result.path, options, model) {}

  void run() {
    const py::Module& module = parsed_.module();
    // Pre-order walk with the ancestor chain (Module at its root), without recursion.
    std::vector<std::pair<const py::Node*, std::size_t>> stack;
    stack.reserve(256);
    std::vector<const py::Node*> ancestors{&module};
    for (auto it = module.body.rbegin(); it != module.body.rend(); ++it) stack.emplace_back(*it, 1);
    while (!stack.empty()) {
      const auto [node, depth] = stack.back();
      stack.pop_back();
      ancestors.resize(depth);
      visit(*node, ancestors);
      ancestors.push_back(node);
      // Children go on the stack in source order, then are reversed so the first is popped first.
      const std::size_t first_child = stack.size();
      py::for_each_child(*node, [&](const py::Node& child) {
        if (is_ignored_leaf(child)) return;  // a third of all nodes: no need to stack them
        stack.emplace_back(&child, depth + 1);
      });
      std::reverse(stack.begin() + static_cast<std::ptrdiff_t>(first_child), stack.end());
    }
    if (checker_.enabled(Check::B613)) rules::trojansource(checker_, parsed_.source());
  }

  std::vector<Issue> take_issues() { return checker_.take_issues(); }

 private:
  /// Nodes without children that visit() does nothing for.
  static bool is_ignored_leaf(const py::Node& node) {
    return node.kind == py::NodeKind::Name ||
           (node.kind == py::NodeKind::Constant && !static_cast<const py::Constant&>(node).value.is_string());
  }

  void visit(const py::Node& node, const std::vector<const py::Node*>& ancestors) {
    switch (node.kind) {
      case py::NodeKind::Call: return visit_call(node, ancestors);
      case py::NodeKind::Import:
      case py::NodeKind::ImportFrom:
        checker_.enter(node, ancestors);
        checker_.note_import(node);
        checker_.set_context_node(node);
        rules::blacklist_imports(checker_);
        return;
      case py::NodeKind::Constant: {
        if (!static_cast<const py::Constant&>(node).value.is_string()) return;
        if (ancestors.back()->kind == py::NodeKind::ExprStmt) return;  // docstrings, bare strings
        checker_.enter(node, ancestors);
        checker_.set_context_node(*ancestors.back());
        if (checker_.enabled(Check::B104)) rules::hardcoded_bind_all_interfaces(checker_);
        if (checker_.enabled(Check::B105)) rules::hardcoded_password_string(checker_);
        if (checker_.enabled(Check::B108)) rules::hardcoded_tmp_directory(checker_);
        if (checker_.enabled(Check::B608)) rules::hardcoded_sql_expressions(checker_);
        return;
      }
      case py::NodeKind::Assert:
        if (!checker_.enabled(Check::B101)) return;
        enter(node, ancestors);
        rules::assert_used(checker_);
        return;
      case py::NodeKind::ExceptHandler:
        enter(node, ancestors);
        rules::try_except(checker_);
        return;
      case py::NodeKind::AsyncFunctionDef:
        if (checker_.compat()) return;  // Bandit has no visitor for async def
        [[fallthrough]];
      case py::NodeKind::FunctionDef:
        enter(node, ancestors);
        if (checker_.enabled(Check::B107)) rules::hardcoded_password_default(checker_);
        if (checker_.enabled(Check::B503)) rules::ssl_with_bad_defaults(checker_);
        return;
      default: return;
    }
  }

  void enter(const py::Node& node, const std::vector<const py::Node*>& ancestors) {
    checker_.enter(node, ancestors);
    checker_.set_context_node(node);
  }

  void visit_call(const py::Node& node, const std::vector<const py::Node*>& ancestors) {
    enter(node, ancestors);
    const auto& call = static_cast<const py::Call&>(node);
    checker_.set_bandit_qualname(*call.func);
    // Default mode: also check the call under the name the semantic model resolves (scoped
    // imports, assignment aliases), keeping what Bandit's resolution found.
    std::string semantic_name = model_ != nullptr ? model_->qualified_name(*call.func) : std::string();
    const bool also_semantic = !semantic_name.empty() && semantic_name != checker_.qualname();
    run_call_checks();
    if (!also_semantic) return;
    std::vector<Issue> first = checker_.take_issues();
    const std::size_t node_first = first.size();
    checker_.set_qualname(std::move(semantic_name));
    run_call_checks();
    std::vector<Issue> second = checker_.take_issues();
    for (Issue& issue : second) {
      const bool duplicate = std::any_of(first.begin(), first.begin() + static_cast<std::ptrdiff_t>(node_first),
                                         [&](const Issue& seen) {
                                           return seen.check == issue.check && seen.line == issue.line &&
                                                  seen.column == issue.column;
                                         });
      if (!duplicate) first.push_back(std::move(issue));
    }
    for (Issue& issue : first) checker_.report_file_issue(std::move(issue));
  }

  void run_call_checks() {
    Checker& c = checker_;
    if (c.options().rule_out_calls && !rules::call_may_report(c)) return;
    if (c.enabled(Check::B201)) rules::flask_debug_true(c);
    if (c.enabled(Check::B501)) rules::request_with_no_cert_validation(c);
    if (c.enabled(Check::B113)) rules::request_without_timeout(c);
    if (c.enabled(Check::B102)) rules::exec_used(c);
    if (c.enabled(Check::B103)) rules::set_bad_file_permissions(c);
    if (c.enabled(Check::B106)) rules::hardcoded_password_funcarg(c);
    if (c.enabled(Check::B601)) rules::paramiko_calls(c);
    rules::shell_injection(c);
    if (c.enabled(Check::B324)) rules::hashlib_insecure_functions(c);
    if (c.enabled(Check::B609)) rules::linux_commands_wildcard_injection(c);
    if (c.enabled(Check::B610)) rules::django_extra_used(c);
    if (c.enabled(Check::B611)) rules::django_rawsql_used(c);
    if (c.enabled(Check::B502)) rules::ssl_with_bad_version(c);
    if (c.enabled(Check::B504)) rules::ssl_with_no_version(c);
    if (c.enabled(Check::B701)) rules::jinja2_autoescape_false(c);
    if (c.enabled(Check::B702)) rules::use_of_mako_templates(c);
    if (c.enabled(Check::B703)) rules::django_mark_safe(c);
    if (c.enabled(Check::B505)) rules::weak_cryptographic_key(c);
    if (c.enabled(Check::B506)) rules::yaml_load(c);
    if (c.enabled(Check::B507)) rules::ssh_no_host_key_verification(c);
    rules::snmp_security(c);
    if (c.enabled(Check::B202)) rules::tarfile_unsafe_members(c);
    if (c.enabled(Check::B612)) rules::logging_config_insecure_listen(c);
    if (c.enabled(Check::B614)) rules::pytorch_load(c);
    if (c.enabled(Check::B704)) rules::markupsafe_markup_xss(c);
    if (c.enabled(Check::B615)) rules::huggingface_unsafe_download(c);
    rules::blacklist_calls(c);
  }

  const py::ParseResult& parsed_;
  const semantic::SemanticModel* model_;
  Checker checker_;
};

/// Suppressions by line from the comment tokens.
void collect_suppressions(const py::ParseResult& parsed, bool moat_forms, SuppressionMap& nosec, SuppressionMap& moat) {
  for (const std::uint32_t index : parsed.comment_indexes()) {
    const py::Token& token = parsed.tokens()[index];
    const std::string_view text = parsed.text(token);
    const int line = static_cast<int>(parsed.lines().position(token.start).line);
    if (auto suppression = parse_nosec_comment(text)) nosec[line] = *suppression;
    if (moat_forms)
      if (auto suppression = parse_moat_suppression(text)) moat[line] = *suppression;
  }
}

const Suppression* at_line(const SuppressionMap& map, int line) {
  const auto found = map.find(line);
  return found != map.end() ? &found->second : nullptr;
}

/// Bandit's tester: the nosec on the reported line (when the check chose it) united with the
/// first nosec in the node's context range. Returns true when the issue is suppressed.
bool apply_nosec(const SuppressionMap& nosec, const Issue& issue, FileResult& result, std::set<int>& used_lines) {
  const Suppression* base = issue.plugin_line != 0 ? at_line(nosec, issue.plugin_line) : nullptr;
  const Suppression* context = nullptr;
  int context_line = 0;
  for (auto it = nosec.lower_bound(issue.nosec_range.first);
       it != nosec.end() && it->first <= issue.nosec_range.last; ++it) {
    context = &it->second;
    context_line = it->first;
    break;
  }
  if (base == nullptr && context == nullptr) return false;
  CheckSet listed;
  if (base != nullptr && !base->blanket) listed |= base->checks;
  if (context != nullptr && !context->blanket) listed |= context->checks;
  if (listed.none()) {
    ++result.nosec;
  } else if (listed.test(index(issue.check))) {
    ++result.skipped_tests;
  } else {
    return false;
  }
  if (base != nullptr) used_lines.insert(issue.plugin_line);
  if (context != nullptr) used_lines.insert(context_line);
  return true;
}

bool apply_moat_suppression(const SuppressionMap& moat, const Issue& issue, std::set<int>& used_lines) {
  const auto suppresses = [&](int line) {
    const Suppression* suppression = at_line(moat, line);
    if (suppression == nullptr || !suppression->checks.test(index(issue.check))) return false;
    used_lines.insert(line);
    return true;
  };
  if (suppresses(issue.line)) return true;
  for (auto it = moat.lower_bound(issue.nosec_range.first); it != moat.end() && it->first <= issue.nosec_range.last; ++it)
    if (suppresses(it->first)) return true;
  return false;
}

/// Bandit's window of code lines for an issue: [first, stop).
std::pair<int, int> code_window(const Issue& issue, int context_lines) {
  context_lines = std::max(context_lines, 1);
  const int range_length = issue.line_range.last - issue.line_range.first + 1;
  const int first = std::max(1, issue.line - context_lines / 2);
  return {first, first + range_length + context_lines - 1};
}

/// Counts the file's lines ('\n'-terminated, as Bandit's linecache reads them) and keeps the text
/// of just the lines the issues show, so results stay small however large the scan.
void keep_shown_lines(std::string_view source, const LineIndex& lines, int context_lines, FileResult& result) {
  result.context_lines = context_lines;
  std::set<int> wanted;
  for (const Issue& issue : result.issues) {
    wanted.insert(issue.line);
    const auto [first, stop] = code_window(issue, context_lines);
    for (int line = first; line < stop; ++line) wanted.insert(line);
  }
  const auto line_count = static_cast<int>(lines.line_count());  // one more than the '\n's
  for (const int line : wanted) {
    if (line < 1 || line > line_count) continue;
    const std::size_t start = lines.line_start(static_cast<std::uint32_t>(line));
    if (start >= source.size()) continue;
    const std::size_t stop = line < line_count ? lines.line_start(static_cast<std::uint32_t>(line) + 1) : source.size();
    result.shown_lines.emplace(line, std::string(source.substr(start, stop - start)));
  }
  result.lines = static_cast<std::size_t>(line_count - 1) + (source.empty() || source.back() == '\n' ? 0 : 1);
}

}  // namespace

py::ParseOptions lint_parse_options(const LintOptions& options, std::string_view path) {
  return {.target = options.bandit_compat ? py::PythonVersion::Py311 : py::PythonVersion::Py314, .path = path};
}

FileResult lint_source(std::string path, std::string_view bytes, const LintOptions& options) {
  py::ParseOptions parse_options = lint_parse_options(options, path);
  parse_options.bytes_outlive_result = true;  // the tree is dropped here, before the caller's bytes
  const py::ParseResult parsed = py::parse(bytes, parse_options);
  return lint_parsed(std::move(path), bytes, parsed, options);
}

FileResult lint_parsed(std::string path, std::string_view bytes, const py::ParseResult& parsed,
                       const LintOptions& options) {
  FileResult result;
  result.path = std::move(path);
  const bool source_is_bytes = parsed.source().data() == bytes.data() && parsed.source().size() == bytes.size();
  result.loc = source_is_bytes ? count_loc(parsed) : count_loc(bytes);
  if (!parsed.ok()) {
    result.error = "syntax error while parsing AST from file";
    return result;
  }
  std::optional<semantic::SemanticModel> model;
  if (!options.bandit_compat) model.emplace(parsed, module_path_for(result.path));
  Linter linter(parsed, result, options, model ? &*model : nullptr);
  linter.run();
  std::vector<Issue> issues = linter.take_issues();

  SuppressionMap nosec;
  SuppressionMap moat;
  if (!options.ignore_nosec) collect_suppressions(parsed, !options.bandit_compat, nosec, moat);
  std::set<int> used_lines;
  for (Issue& issue : issues) {
    if (apply_nosec(nosec, issue, result, used_lines)) continue;
    if (apply_moat_suppression(moat, issue, used_lines)) {
      ++result.suppressed_other;
      continue;
    }
    result.issues.push_back(std::move(issue));
  }
  for (const SuppressionMap* map : {&nosec, &moat})
    for (const auto& [line, suppression] : *map)
      if (!suppression.blanket && !used_lines.contains(line)) {
        const auto comments = parsed.comments_on_line(static_cast<std::uint32_t>(line));
        result.unused_suppressions.emplace_back(line, comments.empty() ? std::string() : std::string(comments.front()));
      }
  std::ranges::sort(result.unused_suppressions);
  result.unused_suppressions.erase(std::unique(result.unused_suppressions.begin(), result.unused_suppressions.end()),
                                   result.unused_suppressions.end());

  keep_shown_lines(parsed.source(), parsed.lines(), options.context_lines, result);
  return result;
}

std::vector<FileResult> lint_files(const std::vector<std::string>& paths, const LintOptions& options, unsigned jobs,
                                   const std::function<void(std::size_t)>& progress) {
  std::vector<FileResult> results(paths.size());
  std::atomic<std::size_t> done{0};
  parallel_for_each_index(paths.size(), jobs, [&](std::size_t i) {
    auto bytes = read_file(paths[i]);
    if (!bytes) {
      results[i].path = paths[i];
      results[i].error = bytes.error().message;
    } else {
      results[i] = lint_source(paths[i], *bytes, options);
    }
    const std::size_t finished = ++done;
    if (progress) progress(finished);
  });
  return results;
}

std::string issue_code(const FileResult& file, const Issue& issue) {
  const auto [first, stop] = code_window(issue, file.context_lines);
  std::string code;
  // Lines are consecutive keys: one lookup, then a walk.
  auto shown = file.shown_lines.find(first);
  for (int line = first; line < stop && shown != file.shown_lines.end() && shown->first == line; ++line, ++shown)
    code.append(std::to_string(line)).append(" ").append(shown->second);
  return code;
}

Finding to_finding(const FileResult& file, const Issue& issue) {
  const CheckInfo& checked = info(issue.check);
  Finding finding;
  finding.rule_id = std::string(checked.id);
  finding.title = std::string(checked.name);
  finding.message = issue.text;
  finding.severity = issue.severity;
  finding.confidence = issue.confidence;
  finding.cwe = checked.cwe;
  finding.location = Location{file.path, issue.line, issue.column, issue.end_line, issue.end_column};
  finding.category = Category::code;
  const auto shown = file.shown_lines.find(issue.line);
  std::string snippet = shown != file.shown_lines.end() ? shown->second : std::string();
  while (!snippet.empty() && (snippet.back() == '\n' || snippet.back() == ' ')) snippet.pop_back();
  const auto indent = snippet.find_first_not_of(" \t");
  finding.snippet = indent == std::string::npos ? std::string() : snippet.substr(indent);
  nlohmann::ordered_json line_range = nlohmann::ordered_json::array();
  auto& lines = line_range.get_ref<nlohmann::ordered_json::array_t&>();
  lines.reserve(static_cast<std::size_t>(std::max(0, issue.line_range.last - issue.line_range.first + 1)));
  for (int line = issue.line_range.first; line <= issue.line_range.last; ++line) lines.emplace_back(line);
  // Built field by field: an initializer list deep-copies every value and grows the object.
  finding.details = nlohmann::ordered_json::object();
  auto& fields = finding.details.get_ref<nlohmann::ordered_json::object_t&>();
  fields.reserve(6);
  fields.emplace_back("test_name", checked.test_name);
  fields.emplace_back("line_range", std::move(line_range));
  fields.emplace_back("col_offset", issue.column);
  fields.emplace_back("end_col_offset", issue.end_column);
  fields.emplace_back("more_info", more_info_url(issue.check));
  fields.emplace_back("code", issue_code(file, issue));
  return finding;
}

namespace {

nlohmann::ordered_json metric_counts(const FileResult& file) {
  std::array<int, 4> severity{};
  std::array<int, 4> confidence{};
  for (const Issue& issue : file.issues) {
    ++severity[std::min<std::size_t>(static_cast<std::size_t>(issue.severity) + 1, 3)];
    ++confidence[static_cast<std::size_t>(issue.confidence) + 1];
  }
  nlohmann::ordered_json counts;
  const std::array<const char*, 4> ranks{"UNDEFINED", "LOW", "MEDIUM", "HIGH"};
  for (std::size_t i = 0; i < ranks.size(); ++i) counts[std::string("CONFIDENCE.") + ranks[i]] = confidence[i];
  for (std::size_t i = 0; i < ranks.size(); ++i) counts[std::string("SEVERITY.") + ranks[i]] = severity[i];
  counts["loc"] = file.loc;
  counts["nosec"] = file.nosec;
  counts["skipped_tests"] = file.skipped_tests;
  return counts;
}

}  // namespace

Report make_report(const std::vector<FileResult>& files, unsigned jobs) {
  // Findings and counts are built per file on the workers, then moved into place in file order.
  std::vector<std::vector<Finding>> findings(files.size());
  std::vector<nlohmann::ordered_json> counts(files.size());
  parallel_for_each_index(files.size(), jobs, [&](std::size_t i) {
    findings[i].reserve(files[i].issues.size());
    for (const Issue& issue : files[i].issues) findings[i].push_back(to_finding(files[i], issue));
    counts[i] = metric_counts(files[i]);
  });
  Report report;
  std::size_t finding_count = 0;
  for (const auto& file_findings : findings) finding_count += file_findings.size();
  report.findings.reserve(finding_count);
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  // ordered_map looks keys up linearly: append paths seen for the first time directly.
  auto& metric_entries = metrics.get_ref<nlohmann::ordered_json::object_t&>();
  metric_entries.reserve(files.size() + 1);
  std::unordered_set<std::string_view> seen_paths;
  std::map<std::string, long long> totals;
  std::size_t lines = 0;
  std::size_t suppressed = 0;
  std::size_t scanned = 0;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const FileResult& file = files[i];
    if (file.error) {
      report.errors.push_back({file.path, *file.error});
    } else {
      ++scanned;
    }
    std::ranges::move(findings[i], std::back_inserter(report.findings));
    for (const auto& [key, value] : counts[i].items()) totals[key] += value.get<long long>();
    if (seen_paths.insert(file.path).second) {
      metric_entries.emplace_back(file.path, std::move(counts[i]));
    } else {
      metrics[file.path] = std::move(counts[i]);
    }
    lines += file.lines;
    suppressed += static_cast<std::size_t>(file.nosec + file.skipped_tests + file.suppressed_other);
  }
  nlohmann::ordered_json total_counts = metric_counts(FileResult{});
  for (auto& [key, value] : total_counts.items()) value = totals[key];
  metrics["_totals"] = total_counts;
  report.stats["files"] = scanned;
  report.stats["lines"] = lines;
  report.stats["loc"] = total_counts["loc"];
  report.stats["suppressed"] = suppressed;
  report.stats["bandit_metrics"] = std::move(metrics);
  return report;
}

}  // namespace moat::lint
