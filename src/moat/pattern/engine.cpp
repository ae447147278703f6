#include "moat/pattern/engine.hpp"

#include <algorithm>
#include <cctype>
#include <map>

#include "moat/pattern/evaluate.hpp"
#include "moat/pattern/taint.hpp"
#include "moat/util/file.hpp"
#include "moat/util/parallel.hpp"

namespace moat::pattern {

namespace {

std::optional<int> cwe_of(const nlohmann::ordered_json& metadata) {
  if (!metadata.contains("cwe")) return std::nullopt;
  const auto& cwe = metadata["cwe"];
  const nlohmann::ordered_json* first = &cwe;
  if (cwe.is_array()) {
    if (cwe.empty()) return std::nullopt;
    first = &cwe[0];
  }
  if (!first->is_string()) return std::nullopt;
  const std::string text = first->get<std::string>();
  const std::size_t at = text.find("CWE-");
  if (at == std::string::npos) return std::nullopt;
  int value = 0;
  bool any = false;
  for (std::size_t i = at + 4; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    value = value * 10 + (text[i] - '0');
    any = true;
    if (value > 100000) return std::nullopt;
  }
  return any ? std::optional<int>(value) : std::nullopt;
}

// The source line holding `offset`.
std::string_view line_at(std::string_view source, std::size_t offset) {
  const std::size_t begin = source.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::size_t start = begin == std::string_view::npos || offset == 0 ? 0 : begin + 1;
  const std::size_t end = source.find('\n', offset);
  return source.substr(start, (end == std::string_view::npos ? source.size() : end) - start);
}

// `# nosemgrep` or `# nosemgrep: a, b` in a line; true when it silences rule `id`.
bool suppresses(std::string_view line, std::string_view id) {
  const std::size_t hash = line.find('#');
  if (hash == std::string_view::npos) return false;
  std::string_view comment = line.substr(hash + 1);
  const std::size_t at = comment.find("nosemgrep");
  if (at == std::string_view::npos) return false;
  std::string_view rest = comment.substr(at + 9);
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  if (rest.empty() || rest.front() != ':') return true;
  rest.remove_prefix(1);
  while (!rest.empty()) {
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == ',')) rest.remove_prefix(1);
    std::size_t end = 0;
    while (end < rest.size() && rest[end] != ',' && rest[end] != ' ') ++end;
    const std::string_view listed = rest.substr(0, end);
    // Semgrep prefixes ids with the config path; a listed id matches its last dotted part too.
    if (!listed.empty() && (listed == id || listed.ends_with("." + std::string(id)))) return true;
    rest.remove_prefix(end);
  }
  return false;
}

bool suppressed(const FileContext& file, std::size_t offset, std::string_view id) {
  const std::string_view source = file.source();
  const std::string_view line = line_at(source, offset);
  if (suppresses(line, id)) return true;
  const std::size_t line_start = static_cast<std::size_t>(line.data() - source.data());
  if (line_start == 0) return false;
  const std::string_view previous = line_at(source, line_start - 1);
  std::string_view trimmed = previous;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front()))) trimmed.remove_prefix(1);
  return trimmed.starts_with('#') && suppresses(trimmed, id);
}

nlohmann::ordered_json metavariables_json(const Bindings& bindings) {
  auto object = nlohmann::ordered_json::object();
  for (const auto& [name, binding] : bindings) object[name] = std::string(binding.text);
  return object;
}

}  // namespace

std::string interpolate(std::string_view message, const Bindings& bindings) {
  std::string out;
  for (std::size_t i = 0; i < message.size();) {
    if (message[i] == '$') {
      // Longest bound name starting here.
      const Binding* best = nullptr;
      std::size_t best_length = 0;
      for (const auto& [name, binding] : bindings)
        if (message.substr(i).starts_with(name) && name.size() > best_length) {
          best = &binding;
          best_length = name.size();
        }
      if (best != nullptr) {
        const std::size_t after = i + best_length;
        const bool whole = after >= message.size() ||
                           !(std::isalnum(static_cast<unsigned char>(message[after])) || message[after] == '_');
        if (whole) {
          out += best->text;
          i = after;
          continue;
        }
      }
    }
    out += message[i++];
  }
  return out;
}

std::vector<RangeMatch> match_rule(const Rule& rule, const FileContext& file) {
  const Span whole{0, file.source().size()};
  std::vector<RangeMatch> ranges =
      rule.mode == Rule::Mode::taint ? match_taint(rule, file) : evaluate(rule.formula, file, whole);
  std::ranges::sort(ranges, [](const RangeMatch& a, const RangeMatch& b) {
    return a.span.start != b.span.start ? a.span.start < b.span.start : a.span.end > b.span.end;
  });
  // One finding per start: different bindings or extents of the same code are one result.
  auto duplicate =
      std::ranges::unique(ranges, [](const RangeMatch& a, const RangeMatch& b) { return a.span.start == b.span.start; });
  ranges.erase(duplicate.begin(), duplicate.end());
  // A lone metavariable pattern (`$X`, usually filtered by metavariable conditions) reports the
  // outermost expression, not also its parts, as Semgrep does: a range that is exactly a binding
  // drops when nested in an earlier such range binding the same names.
  std::map<std::string, std::size_t> reach;  // metavariable names -> furthest end so far
  std::erase_if(ranges, [&](const RangeMatch& range) {
    const bool whole_binding = std::ranges::any_of(range.bindings, [&](const auto& binding) {
      return binding.second.span == range.span;
    });
    if (!whole_binding) return false;
    std::vector<std::string_view> names;
    for (const auto& binding : range.bindings) names.push_back(binding.first);
    std::ranges::sort(names);
    std::string key;
    for (auto name : names) key.append(name).push_back(' ');
    auto [furthest, fresh] = reach.try_emplace(key, range.span.end);
    if (fresh) return false;
    if (range.span.end <= furthest->second) return true;
    furthest->second = range.span.end;
    return false;
  });
  return ranges;
}

std::vector<Finding> run_rules(std::span<const Rule> rules, const FileContext& file, const RunOptions& options) {
  std::vector<Finding> findings;
  for (const Rule& rule : rules) {
    if (!rule.applies_to_python() || !rule.applies_to_path(file.path())) continue;
    for (const RangeMatch& range : match_rule(rule, file)) {
      if (options.honor_nosemgrep && suppressed(file, range.span.start, rule.id)) continue;
      Finding finding;
      finding.rule_id = rule.id;
      finding.title = rule.id;
      finding.message = interpolate(rule.message, range.bindings);
      finding.severity = rule.severity;
      finding.confidence = rule.confidence;
      finding.cwe = cwe_of(rule.metadata);
      finding.category = Category::rules;
      const auto [line, column] = file.line_column(range.span.start);
      const auto [end_line, end_column] = file.line_column(range.span.end);
      finding.location = {file.path(), line, column, end_line, end_column};
      std::string_view snippet = file.text(range.span);
      if (snippet.size() > 400) snippet = snippet.substr(0, 400);
      finding.snippet = std::string(snippet);
      finding.details["metavars"] = metavariables_json(range.bindings);
      finding.details["rule_file"] = rule.origin;
      if (rule.fix) finding.details["fix"] = interpolate(*rule.fix, range.bindings);
      if (!rule.metadata.empty()) finding.details["metadata"] = rule.metadata;
      findings.push_back(std::move(finding));
    }
  }
  sort_findings(findings);
  return findings;
}

std::vector<FileScan> scan_files(std::span<const Rule> rules, std::span<const std::filesystem::path> paths,
                                 const RunOptions& options, unsigned jobs) {
  constexpr std::size_t kMaxFileBytes = std::size_t{64} << 20;
  std::vector<FileScan> results(paths.size());
  // Biggest files first, so that no thread is left with a large file while the others are idle.
  std::vector<std::pair<std::uintmax_t, std::size_t>> by_size;
  by_size.reserve(paths.size());
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::error_code error;
    const std::uintmax_t size = std::filesystem::file_size(paths[i], error);
    by_size.emplace_back(error ? 0 : size, i);
  }
  std::ranges::stable_sort(by_size, std::ranges::greater{}, &std::pair<std::uintmax_t, std::size_t>::first);
  parallel_for_each_index(paths.size(), jobs, [&](std::size_t next) {
    const std::size_t i = by_size[next].second;
    FileScan& result = results[i];
    const std::string name = paths[i].lexically_normal().string();
    auto text = read_file(paths[i], kMaxFileBytes);
    if (!text) {
      result.error = ScanError{name, text.error().message};
      return;
    }
    result.read = true;
    const FileContext file(name, *text);
    if (file.parse_error()) result.error = ScanError{name, *file.parse_error()};
    result.findings = run_rules(rules, file, options);
  });
  return results;
}

}  // namespace moat::pattern
