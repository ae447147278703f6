#include "moat/pattern/rule_test.hpp"

#include <algorithm>
#include <cctype>

#include "moat/pattern/engine.hpp"
#include "moat/util/file.hpp"

namespace moat::pattern {

namespace fs = std::filesystem;

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  return text;
}

// The comment body of a line and whether the comment stands alone on it.
std::optional<std::pair<std::string_view, bool>> comment_of(std::string_view line) {
  const std::string_view stripped = trim(line);
  for (std::string_view opener : {"#", "//", "<!--", "/*", "(*", "{/*"}) {
    const std::size_t at = line.find(opener);
    if (at == std::string_view::npos) continue;
    std::string_view body = line.substr(at + opener.size());
    for (std::string_view closer : {"-->", "*/}", "*/", "*)"}) {
      const std::size_t end = body.rfind(closer);
      if (end != std::string_view::npos) body = body.substr(0, end);
    }
    return std::pair{trim(body), stripped.starts_with(opener)};
  }
  return std::nullopt;
}

struct Annotation {
  std::vector<std::string> keywords;  // e.g. {"ruleid"} or {"ruleid", "deepok"}
  std::vector<std::string> ids;
};

std::optional<Annotation> annotation_of(std::string_view body) {
  Annotation annotation;
  for (;;) {
    std::size_t end = 0;
    while (end < body.size() && (std::isalnum(static_cast<unsigned char>(body[end])) || body[end] == '_')) ++end;
    if (end == 0 || end >= body.size() || body[end] != ':') break;
    const std::string keyword(body.substr(0, end));
    static const std::set<std::string, std::less<>> known = {
        "ruleid", "ok", "todoruleid", "todook", "proruleid", "prook", "protodoruleid", "protodook",
        "deepruleid", "deepok", "deeptodoruleid", "deeptodook"};
    if (!known.contains(keyword)) break;
    annotation.keywords.push_back(keyword);
    body = trim(body.substr(end + 1));
  }
  if (annotation.keywords.empty()) return std::nullopt;
  while (!body.empty()) {
    const std::size_t comma = body.find(',');
    std::string_view id = trim(body.substr(0, comma));
    // Anything after the id list (a trailing explanation) is not part of an id.
    const std::size_t space = id.find_first_of(" \t");
    if (space != std::string_view::npos) id = id.substr(0, space);
    if (!id.empty()) annotation.ids.emplace_back(id);
    if (comma == std::string_view::npos) break;
    body.remove_prefix(comma + 1);
  }
  if (annotation.ids.empty()) return std::nullopt;
  return annotation;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    std::string_view line = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return lines;
}

std::string join(const std::set<int>& lines) {
  std::string out;
  for (int line : lines) out += (out.empty() ? "" : ", ") + std::to_string(line);
  return out.empty() ? "none" : out;
}

std::string stem_of(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.substr(0, name.find('.'));
}

// Test files for a rule file: same stem before the first dot, not a rule or .fixed file.
std::vector<fs::path> test_files_for(const fs::path& rule_file, const std::vector<fs::path>& candidates) {
  std::vector<fs::path> files;
  const std::string stem = stem_of(rule_file);
  for (const auto& candidate : candidates) {
    const std::string name = candidate.filename().string();
    if (candidate == rule_file || stem_of(candidate) != stem) continue;
    if (name.find(".fixed.") != std::string::npos || is_rule_file_name(name)) continue;
    if (name.ends_with(".yml") || name.ends_with(".yaml")) continue;  // YAML-language tests are not supported
    files.push_back(candidate);
  }
  return files;
}

std::vector<fs::path> files_under(const fs::path& root) {
  std::vector<fs::path> files;
  std::error_code error;
  if (fs::is_regular_file(root, error)) return {root};
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, error), end;
       !error && it != end; it.increment(error)) {
    if (it->is_directory(error) && it->path().filename().string().starts_with('.')) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error)) files.push_back(it->path());
  }
  std::ranges::sort(files);
  return files;
}

}  // namespace

Annotations parse_annotations(std::string_view text, bool lenient) {
  Annotations annotations;
  const auto lines = split_lines(text);
  std::vector<std::pair<std::size_t, Annotation>> pending;  // annotations waiting for their line
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto comment = comment_of(lines[i]);
    std::optional<Annotation> annotation;
    if (comment && (comment->second || lenient)) annotation = annotation_of(comment->first);
    if (annotation && comment->second) {
      pending.emplace_back(i, std::move(*annotation));
      continue;
    }
    // This line is the target of the pending annotations (and of a trailing one, the next line).
    const auto assign = [&](const Annotation& note, int target_line) {
      const std::string& keyword = note.keywords.front();
      auto* set = keyword == "ruleid" ? &annotations.ruleid
                  : keyword == "ok" ? &annotations.ok
                  : keyword == "todoruleid" ? &annotations.todoruleid
                  : keyword == "todook" ? &annotations.todook
                                        : nullptr;  // pro/deep annotations are for other engines
      if (set == nullptr) return;
      for (const auto& id : note.ids) (*set)[id].insert(target_line);
    };
    for (const auto& [line, note] : pending) assign(note, static_cast<int>(i + 1));
    pending.clear();
    if (annotation) pending.emplace_back(i, std::move(*annotation));
  }
  return annotations;
}

RuleTestSummary run_rule_tests(const fs::path& path, const RuleTestOptions& options, std::ostream& out) {
  RuleTestSummary summary;
  std::vector<fs::path> rule_files;
  for (const auto& file : files_under(path))
    if (is_rule_file_name(file.filename().string())) rule_files.push_back(file);
  // A single rule file is tested on the files beside it.
  const auto directory_of = [](const fs::path& where) {
    if (fs::is_directory(where)) return where;
    return where.has_parent_path() ? where.parent_path() : fs::path(".");
  };
  const fs::path base = directory_of(options.targets.empty() ? path : options.targets);
  const std::vector<fs::path> candidates = files_under(base);

  for (const auto& rule_file : rule_files) {
    RuleSet set;
    load_rules(rule_file, set);
    for (const auto& error : set.errors) {
      out << "ERROR " << error.to_string() << "\n";
      summary.errors.push_back(error);
    }
    if (set.rules.empty()) continue;
    const auto tests = test_files_for(rule_file, candidates);
    if (tests.empty()) {
      for (const auto& rule : set.rules) out << "SKIP  " << rule.id << " (no test file for " << rule_file.string() << ")\n";
      summary.untested += static_cast<int>(set.rules.size());
      continue;
    }
    std::map<std::string, std::vector<std::string>> problems;  // rule id -> failure lines
    for (const auto& test : tests) {
      auto text = read_file(test, std::size_t{64} << 20);
      if (!text) {
        summary.errors.push_back(text.error());
        out << "ERROR " << text.error().to_string() << "\n";
        continue;
      }
      const Annotations annotations = parse_annotations(*text, options.lenient);
      // Paths as Semgrep sees them when run from the test directory's parent ("tests/x.py"), so that
      // paths.include/exclude globs behave the same wherever the tests are.
      const std::string shown =
          (base.filename().empty() ? fs::path(".") : base.filename()) / test.lexically_relative(base);
      FileContext file(shown, *text);
      for (const auto& rule : set.rules) {
        std::set<int> reported;
        if (rule.applies_to_path(file.path()))
          for (const auto& finding : run_rules(std::span<const Rule>(&rule, 1), file)) reported.insert(finding.location.line);
        std::set<int> expected;
        const auto add = [&](const std::map<std::string, std::set<int>>& from) {
          if (auto found = from.find(rule.id); found != from.end()) expected.insert(found->second.begin(), found->second.end());
        };
        add(annotations.ruleid);
        add(options.mode == TestMode::compat ? annotations.todook : annotations.todoruleid);
        if (reported == expected) continue;
        std::set<int> missed, unexpected;
        std::ranges::set_difference(expected, reported, std::inserter(missed, missed.end()));
        std::ranges::set_difference(reported, expected, std::inserter(unexpected, unexpected.end()));
        problems[rule.id].push_back(test.string() + ": missed lines " + join(missed) + "; unexpected lines " +
                                    join(unexpected));
      }
      if (file.parse_error()) out << "NOTE  " << test.string() << ": " << *file.parse_error() << "\n";
    }
    for (const auto& rule : set.rules) {
      auto found = problems.find(rule.id);
      if (found == problems.end()) {
        out << "PASS  " << rule.id << "\n";
        ++summary.passed;
        continue;
      }
      out << "FAIL  " << rule.id << "\n";
      for (const auto& line : found->second) out << "      " << line << "\n";
      ++summary.failed;
    }
  }
  out << summary.passed << " passed, " << summary.failed << " failed\n";
  return summary;
}

}  // namespace moat::pattern
