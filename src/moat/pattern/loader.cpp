#include "moat/pattern/loader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "moat/pattern/comparison.hpp"
#include "moat/pattern/python_pattern.hpp"
#include "moat/util/file.hpp"

namespace moat::pattern {

namespace {

// A loading failure inside one rule: the YAML line and what is wrong.
struct RuleError {
  int line = 0;
  std::string message;
};

template <typename T>
using Parsed = std::expected<T, RuleError>;

std::unexpected<RuleError> bad(const YAML::Node& node, std::string message) {
  return std::unexpected(RuleError{node.Mark().line + 1, std::move(message)});
}

int line_of(const YAML::Node& node) { return node.Mark().line + 1; }

Parsed<std::string> scalar(const YAML::Node& node, std::string_view key) {
  if (!node.IsScalar()) return bad(node, "'" + std::string(key) + "' must be a string");
  return node.Scalar();
}

Parsed<std::vector<std::string>> string_list(const YAML::Node& node, std::string_view key) {
  std::vector<std::string> items;
  if (node.IsScalar()) {
    items.push_back(node.Scalar());
    return items;
  }
  if (!node.IsSequence()) return bad(node, "'" + std::string(key) + "' must be a list of strings");
  for (const auto& item : node) {
    if (!item.IsScalar()) return bad(item, "'" + std::string(key) + "' must be a list of strings");
    items.push_back(item.Scalar());
  }
  return items;
}

bool is_metavariable_name(std::string_view name) {
  if (name.size() < 2 || name[0] != '$') return false;
  std::size_t i = 1;
  if (name.substr(1).starts_with("...")) i = 4;
  if (i >= name.size()) return false;
  if (!(std::isupper(static_cast<unsigned char>(name[i])) || name[i] == '_')) return false;
  return std::all_of(name.begin() + static_cast<std::ptrdiff_t>(i), name.end(), [](char c) {
    return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

// Semgrep's generic pattern language (spacegrep) as a regex: `...` spans anything, `$X` is one word
// (equal names, equal words), words match whole words, other characters literally, and tokens may be
// separated by any whitespace. Enough for the `language: generic` patterns rules use on string
// contents (`<$TAG ...`).
std::string generic_pattern_to_regex(std::string_view pattern) {
  const auto is_word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; };
  std::string regex;
  std::vector<std::string> bound;
  std::size_t at = 0;
  while (at < pattern.size()) {
    if (std::isspace(static_cast<unsigned char>(pattern[at])) != 0) {
      ++at;
      continue;
    }
    if (!regex.empty()) regex += "\\s*";
    if (pattern.substr(at).starts_with("...")) {
      regex += "[\\s\\S]*?";
      at += 3;
    } else if (pattern[at] == '$' && at + 1 < pattern.size() && (std::isupper(static_cast<unsigned char>(pattern[at + 1])) != 0 || pattern[at + 1] == '_')) {
      std::size_t end = at + 1;
      while (end < pattern.size() && is_word(pattern[end])) ++end;
      const std::string name(pattern.substr(at + 1, end - at - 1));
      const auto known = std::ranges::find(bound, name);
      regex += known == bound.end() ? "\\b(\\w+)\\b" : "\\b\\" + std::to_string(known - bound.begin() + 1) + "\\b";
      if (known == bound.end()) bound.push_back(name);
      at = end;
    } else if (is_word(pattern[at])) {
      std::size_t end = at;
      while (end < pattern.size() && is_word(pattern[end])) ++end;
      regex += "\\b" + std::string(pattern.substr(at, end - at)) + "\\b";
      at = end;
    } else {
      constexpr std::string_view kHex = "0123456789abcdef";
      const auto byte = static_cast<unsigned char>(pattern[at]);
      regex += std::string("\\x{") + kHex[byte >> 4] + kHex[byte & 15] + "}";
      ++at;
    }
  }
  return regex;
}

class FormulaParser {
 public:
  explicit FormulaParser(bool python) : python_(python) {}

  Parsed<Formula> pattern(const YAML::Node& node) {
    auto text = scalar(node, "pattern");
    if (!text) return std::unexpected(text.error());
    Formula formula;
    formula.kind = Formula::Kind::pattern;
    formula.line = line_of(node);
    formula.text = *text;
    if (!python_) {  // generic (spacegrep) pattern: over the text, as a regex
      auto compiled = Regex::compile(generic_pattern_to_regex(*text));
      if (!compiled) return bad(node, "generic pattern: " + compiled.error().message);
      formula.kind = Formula::Kind::regex;
      formula.regex = std::move(*compiled);
      return formula;
    }
    auto compiled = CompiledPattern::compile(*text);
    if (!compiled) return bad(node, "invalid pattern: " + compiled.error().message);
    formula.pattern = std::move(*compiled);
    return formula;
  }

  Parsed<Formula> regex(const YAML::Node& node, std::string_view key) {
    auto text = scalar(node, key);
    if (!text) return std::unexpected(text.error());
    auto compiled = Regex::compile(*text);
    if (!compiled) return bad(node, std::string(key) + ": " + compiled.error().message);
    Formula formula;
    formula.kind = Formula::Kind::regex;
    formula.line = line_of(node);
    formula.text = *text;
    formula.regex = std::move(*compiled);
    return formula;
  }

  static Formula wrap(Formula::Kind kind, Formula child, int line) {
    Formula formula;
    formula.kind = kind;
    formula.line = line;
    formula.children.push_back(std::move(child));
    return formula;
  }

  // A formula written as one key of a map: pattern, patterns, pattern-either, pattern-regex,
  // pattern-inside (as in taint sinks and either branches).
  Parsed<Formula> from_key(std::string_view key, const YAML::Node& value) {
    if (key == "pattern") return pattern(value);
    if (key == "pattern-regex") return regex(value, key);
    if (key == "patterns") return conjunction(value);
    if (key == "pattern-either") return disjunction(value);
    if (key == "pattern-inside") {
      auto inner = inside_operand(value);
      if (!inner) return inner;
      return wrap(Formula::Kind::inside, std::move(*inner), line_of(value));
    }
    return bad(value, "unexpected key '" + std::string(key) + "' here");
  }

  // Operands of pattern-inside / pattern-not / pattern-not-inside: a pattern string, or (newer
  // syntax) a map holding a formula.
  Parsed<Formula> inside_operand(const YAML::Node& value) {
    if (value.IsScalar()) return pattern(value);
    if (value.IsMap()) return single_key_formula(value);
    return bad(value, "expected a pattern string");
  }

  Parsed<Formula> single_key_formula(const YAML::Node& map) {
    if (!map.IsMap() || map.size() != 1) return bad(map, "expected exactly one of pattern, patterns, pattern-either, pattern-regex");
    auto entry = *map.begin();
    return from_key(entry.first.Scalar(), entry.second);
  }

  Parsed<Formula> disjunction(const YAML::Node& node) {
    if (!node.IsSequence()) return bad(node, "'pattern-either' must be a list");
    if (node.size() == 0) return bad(node, "'pattern-either' is empty");
    Formula formula;
    formula.kind = Formula::Kind::any;
    formula.line = line_of(node);
    for (const auto& item : node) {
      if (!item.IsMap() || item.size() != 1)
        return bad(item, "each 'pattern-either' item must be a map with one key");
      auto entry = *item.begin();
      const std::string key = entry.first.Scalar();
      if (key == "pattern-not" || key == "pattern-not-inside" || key == "pattern-not-regex" ||
          key.starts_with("metavariable-") || key == "focus-metavariable")
        return bad(item, "'" + key + "' is only allowed under 'patterns', not under 'pattern-either'");
      auto child = from_key(key, entry.second);
      if (!child) return child;
      formula.children.push_back(std::move(*child));
    }
    return formula;
  }

  Parsed<Formula> conjunction(const YAML::Node& node) {
    if (!node.IsSequence()) return bad(node, "'patterns' must be a list");
    if (node.size() == 0) return bad(node, "'patterns' is empty");
    Formula formula;
    formula.kind = Formula::Kind::all;
    formula.line = line_of(node);
    for (const auto& item : node) {
      if (!item.IsMap() || item.size() != 1) return bad(item, "each 'patterns' item must be a map with one key");
      auto entry = *item.begin();
      const std::string key = entry.first.Scalar();
      const YAML::Node& value = entry.second;
      if (key == "pattern-not" || key == "pattern-not-inside") {
        auto inner = inside_operand(value);
        if (!inner) return inner;
        Formula negated = key == "pattern-not" ? std::move(*inner)
                                               : wrap(Formula::Kind::inside, std::move(*inner), line_of(value));
        formula.children.push_back(wrap(Formula::Kind::negation, std::move(negated), line_of(value)));
      } else if (key == "pattern-not-regex") {
        auto inner = regex(value, key);
        if (!inner) return inner;
        formula.children.push_back(wrap(Formula::Kind::negation, std::move(*inner), line_of(value)));
      } else if (key == "focus-metavariable") {
        auto names = string_list(value, key);
        if (!names) return std::unexpected(names.error());
        for (const auto& name : *names)
          if (!is_metavariable_name(name)) return bad(value, "'" + name + "' is not a metavariable name");
        formula.focus.push_back(std::move(*names));
      } else if (key.starts_with("metavariable-")) {
        auto condition = metavariable_condition(key, value);
        if (!condition) return std::unexpected(condition.error());
        formula.conditions.push_back(std::move(*condition));
      } else {
        auto child = from_key(key, value);
        if (!child) return child;
        formula.children.push_back(std::move(*child));
      }
    }
    return formula;
  }

  Parsed<MetavarCondition> metavariable_condition(const std::string& key, const YAML::Node& value) {
    if (!value.IsMap()) return bad(value, "'" + key + "' must be a map");
    MetavarCondition condition;
    condition.line = line_of(value);
    if (const auto name = value["metavariable"]) {
      auto text = scalar(name, "metavariable");
      if (!text) return std::unexpected(text.error());
      if (!is_metavariable_name(*text)) return bad(name, "'" + *text + "' is not a metavariable name");
      condition.metavariable = *text;
    } else if (key != "metavariable-comparison") {
      return bad(value, "'" + key + "' needs a 'metavariable'");
    }
    if (key == "metavariable-regex") {
      condition.kind = MetavarCondition::Kind::regex;
      const auto regex_node = value["regex"];
      if (!regex_node) return bad(value, "'metavariable-regex' needs a 'regex'");
      auto text = scalar(regex_node, "regex");
      if (!text) return std::unexpected(text.error());
      auto compiled = Regex::compile(*text);
      if (!compiled) return bad(regex_node, compiled.error().message);
      condition.regex = std::move(*compiled);
      return condition;
    }
    if (key == "metavariable-pattern") {
      condition.kind = MetavarCondition::Kind::pattern;
      bool python = python_;
      if (const auto language = value["language"]) {
        auto text = scalar(language, "language");
        if (!text) return std::unexpected(text.error());
        if (*text == "generic" || *text == "regex") {
          condition.generic_text = true;
          python = false;
        } else if (*text != "python" && *text != "py") {
          return bad(language, "unsupported feature: metavariable-pattern language '" + *text + "'");
        }
      }
      FormulaParser nested(python);
      std::optional<Formula> formula;
      for (const auto& entry : value) {
        const std::string inner_key = entry.first.Scalar();
        if (inner_key == "metavariable" || inner_key == "language") continue;
        if (formula) return bad(entry.second, "'metavariable-pattern' has more than one formula");
        auto parsed = nested.from_key(inner_key, entry.second);
        if (!parsed) return std::unexpected(parsed.error());
        formula = std::move(*parsed);
      }
      if (!formula) return bad(value, "'metavariable-pattern' needs pattern, patterns, pattern-either or pattern-regex");
      condition.formula = std::make_shared<const Formula>(std::move(*formula));
      return condition;
    }
    if (key == "metavariable-comparison") {
      condition.kind = MetavarCondition::Kind::comparison;
      const auto expression = value["comparison"];
      if (!expression) return bad(value, "'metavariable-comparison' needs a 'comparison'");
      auto text = scalar(expression, "comparison");
      if (!text) return std::unexpected(text.error());
      auto parsed = Comparison::parse(*text);
      if (!parsed) return bad(expression, parsed.error().message);
      condition.comparison = std::move(*parsed);
      return condition;
    }
    if (key == "metavariable-type") {
      condition.kind = MetavarCondition::Kind::type;
      const auto types = value["types"] ? value["types"] : value["type"];
      if (!types) return bad(value, "'metavariable-type' needs 'type' or 'types'");
      auto names = string_list(types, "types");
      if (!names) return std::unexpected(names.error());
      condition.types = std::move(*names);
      return condition;
    }
    if (key == "metavariable-analysis") {
      const auto analyzer = value["analyzer"];
      if (!analyzer) return bad(value, "'metavariable-analysis' needs an 'analyzer'");
      auto text = scalar(analyzer, "analyzer");
      if (!text) return std::unexpected(text.error());
      if (*text != "redos") return bad(analyzer, "unsupported feature: metavariable-analysis analyzer '" + *text + "'");
      condition.kind = MetavarCondition::Kind::redos;
      return condition;
    }
    return bad(value, "unsupported feature: '" + key + "'");
  }

 private:
  bool python_;
};

std::optional<Severity> severity_of(const std::string& text) {
  if (text == "ERROR" || text == "HIGH") return Severity::high;
  if (text == "WARNING" || text == "MEDIUM") return Severity::medium;
  if (text == "INFO" || text == "LOW" || text == "INVENTORY" || text == "EXPERIMENT") return Severity::low;
  if (text == "CRITICAL") return Severity::critical;
  return std::nullopt;
}

const std::set<std::string, std::less<>> kKnownKeys = {
    "id", "message", "severity", "languages", "metadata", "paths", "options", "fix", "fix-regex", "mode",
    "pattern", "patterns", "pattern-either", "pattern-regex", "pattern-sources", "pattern-sinks",
    "pattern-sanitizers", "pattern-propagators", "min-version", "max-version", "focus-metavariable"};

Parsed<std::vector<Formula>> taint_specs(FormulaParser& parser, const YAML::Node& node, std::string_view key) {
  if (!node.IsSequence() || node.size() == 0) return bad(node, "'" + std::string(key) + "' must be a non-empty list");
  std::vector<Formula> specs;
  for (const auto& item : node) {
    if (!item.IsMap()) return bad(item, "each '" + std::string(key) + "' item must be a map");
    std::optional<Formula> formula;
    bool not_conflicting = false;
    for (const auto& entry : item) {
      const std::string entry_key = entry.first.Scalar();
      if (entry_key == "not_conflicting" || entry_key == "not-conflicting") {
        not_conflicting = entry.second.IsScalar() && entry.second.Scalar() == "true";
        continue;
      }
      if (entry_key == "label" || entry_key == "requires" || entry_key == "by-side-effect" ||
          entry_key == "exact" || entry_key == "from" || entry_key == "to" ||
          entry_key == "replace-labels" || entry_key == "control")
        continue;
      if (formula) return bad(entry.second, "a '" + std::string(key) + "' item has more than one formula");
      auto parsed = parser.from_key(entry_key, entry.second);
      if (!parsed) return std::unexpected(parsed.error());
      formula = std::move(*parsed);
    }
    if (!formula) return bad(item, "a '" + std::string(key) + "' item has no pattern");
    formula->not_conflicting = not_conflicting;
    specs.push_back(std::move(*formula));
  }
  return specs;
}

Parsed<Rule> parse_rule(const YAML::Node& node, const std::string& origin) {
  if (!node.IsMap()) return bad(node, "each rule must be a map");
  Rule rule;
  rule.origin = origin;
  rule.line = line_of(node);
  for (const auto& entry : node) {
    const std::string key = entry.first.Scalar();
    if (!kKnownKeys.contains(key)) {
      if (key == "join" || key == "extract" || key == "match" || key == "steps" || key == "taint")
        return bad(entry.first, "unsupported feature: '" + key + "'");
      return bad(entry.first, "unknown key '" + key + "'");
    }
  }
  const auto required = [&](const char* key) -> Parsed<YAML::Node> {
    const auto value = node[key];
    if (!value) return bad(node, std::string("missing required key '") + key + "'");
    return value;
  };
  auto id_node = required("id");
  if (!id_node) return std::unexpected(id_node.error());
  auto id = scalar(*id_node, "id");
  if (!id) return std::unexpected(id.error());
  if (id->empty()) return bad(*id_node, "'id' is empty");
  rule.id = *id;
  rule.line = line_of(*id_node);

  auto message_node = required("message");
  if (!message_node) return std::unexpected(message_node.error());
  auto message = scalar(*message_node, "message");
  if (!message) return std::unexpected(message.error());
  rule.message = *message;
  while (!rule.message.empty() && std::isspace(static_cast<unsigned char>(rule.message.back()))) rule.message.pop_back();

  auto severity_node = required("severity");
  if (!severity_node) return std::unexpected(severity_node.error());
  auto severity = scalar(*severity_node, "severity");
  if (!severity) return std::unexpected(severity.error());
  const auto level = severity_of(*severity);
  if (!level)
    return bad(*severity_node, "severity '" + *severity +
                                   "' is not one of LOW, MEDIUM, HIGH, CRITICAL, INFO, WARNING, ERROR");
  rule.severity_text = *severity;
  rule.severity = *level;

  auto languages_node = required("languages");
  if (!languages_node) return std::unexpected(languages_node.error());
  auto languages = string_list(*languages_node, "languages");
  if (!languages) return std::unexpected(languages.error());
  if (languages->empty()) return bad(*languages_node, "'languages' is empty");
  for (auto& language : *languages)
    std::ranges::transform(language, language.begin(), [](unsigned char c) { return std::tolower(c); });
  rule.languages = std::move(*languages);
  const bool python = std::ranges::any_of(rule.languages, [](const std::string& language) {
    return language == "python" || language == "py" || language == "python3" || language == "python2";
  });

  if (const auto metadata = node["metadata"]) {
    if (!metadata.IsMap()) return bad(metadata, "'metadata' must be a map");
    std::function<nlohmann::ordered_json(const YAML::Node&)> to_json = [&](const YAML::Node& value) {
      if (value.IsMap()) {
        auto object = nlohmann::ordered_json::object();
        for (const auto& item : value) object[item.first.Scalar()] = to_json(item.second);
        return object;
      }
      if (value.IsSequence()) {
        auto array = nlohmann::ordered_json::array();
        for (const auto& item : value) array.push_back(to_json(item));
        return array;
      }
      if (value.IsScalar()) return nlohmann::ordered_json(value.Scalar());
      return nlohmann::ordered_json();
    };
    rule.metadata = to_json(metadata);
    if (rule.metadata.contains("confidence") && rule.metadata["confidence"].is_string())
      if (auto confidence = parse_confidence(rule.metadata["confidence"].get<std::string>()))
        rule.confidence = *confidence;
  }

  if (const auto paths = node["paths"]) {
    if (!paths.IsMap()) return bad(paths, "'paths' must be a map with 'include' and/or 'exclude'");
    for (const auto& entry : paths) {
      const std::string key = entry.first.Scalar();
      if (key != "include" && key != "exclude") return bad(entry.first, "unknown key 'paths." + key + "'");
      auto globs = string_list(entry.second, "paths." + key);
      if (!globs) return std::unexpected(globs.error());
      (key == "include" ? rule.include_paths : rule.exclude_paths) = std::move(*globs);
    }
  }

  if (const auto options = node["options"]) {
    if (!options.IsMap()) return bad(options, "'options' must be a map");
    for (const auto& entry : options) {
      const std::string key = entry.first.Scalar();
      const auto flag = [&](bool& target) -> Parsed<bool> {
        if (!entry.second.IsScalar() || (entry.second.Scalar() != "true" && entry.second.Scalar() != "false"))
          return bad(entry.second, "option '" + key + "' must be true or false");
        target = entry.second.Scalar() == "true";
        return true;
      };
      Parsed<bool> parsed = true;
      if (key == "constant_propagation") parsed = flag(rule.constant_propagation);
      else if (key == "symbolic_propagation") parsed = flag(rule.symbolic_propagation);
      // Other Semgrep options tune matching details moat does not distinguish; accepted as-is.
      if (!parsed) return std::unexpected(parsed.error());
    }
  }

  if (const auto fix = node["fix"]) {
    auto text = scalar(fix, "fix");
    if (!text) return std::unexpected(text.error());
    rule.fix = *text;
  }
  if (const auto fix_regex = node["fix-regex"]) {
    if (!fix_regex.IsMap() || !fix_regex["regex"] || !fix_regex["replacement"])
      return bad(fix_regex, "'fix-regex' needs 'regex' and 'replacement'");
    auto compiled = Regex::compile(fix_regex["regex"].Scalar());
    if (!compiled) return bad(fix_regex["regex"], "fix-regex: " + compiled.error().message);
    int count = 0;
    if (const auto count_node = fix_regex["count"]) {
      try {
        count = count_node.as<int>();
      } catch (const YAML::Exception&) {
        return bad(count_node, "'fix-regex.count' must be an integer");
      }
    }
    rule.fix_regex = FixRegex{std::move(*compiled), fix_regex["replacement"].Scalar(), count};
  }

  FormulaParser parser(python);
  std::string mode = "search";
  if (const auto mode_node = node["mode"]) {
    auto text = scalar(mode_node, "mode");
    if (!text) return std::unexpected(text.error());
    mode = *text;
  }
  if (mode == "taint") {
    rule.mode = Rule::Mode::taint;
    if (!python) return bad(node, "taint mode needs a Python rule");
    auto sources_node = required("pattern-sources");
    if (!sources_node) return std::unexpected(sources_node.error());
    auto sinks_node = required("pattern-sinks");
    if (!sinks_node) return std::unexpected(sinks_node.error());
    auto sources = taint_specs(parser, *sources_node, "pattern-sources");
    if (!sources) return std::unexpected(sources.error());
    auto sinks = taint_specs(parser, *sinks_node, "pattern-sinks");
    if (!sinks) return std::unexpected(sinks.error());
    rule.sources = std::move(*sources);
    rule.sinks = std::move(*sinks);
    if (const auto sanitizers = node["pattern-sanitizers"]) {
      auto parsed = taint_specs(parser, sanitizers, "pattern-sanitizers");
      if (!parsed) return std::unexpected(parsed.error());
      rule.sanitizers = std::move(*parsed);
    }
    if (const auto propagators = node["pattern-propagators"]) {
      auto parsed = taint_specs(parser, propagators, "pattern-propagators");
      if (!parsed) return std::unexpected(parsed.error());
      rule.propagators = std::move(*parsed);
    }
    return rule;
  }
  if (mode != "search") return bad(node["mode"], "unsupported feature: mode '" + mode + "'");
  if (node["pattern-sources"] || node["pattern-sinks"]) return bad(node, "pattern-sources/pattern-sinks need 'mode: taint'");

  std::optional<Formula> formula;
  for (const char* key : {"pattern", "patterns", "pattern-either", "pattern-regex"}) {
    const auto value = node[key];
    if (!value) continue;
    if (formula) return bad(value, "a rule needs exactly one of pattern, patterns, pattern-either, pattern-regex");
    auto parsed = parser.from_key(key, value);
    if (!parsed) return std::unexpected(parsed.error());
    formula = std::move(*parsed);
  }
  if (!formula) return bad(node, "a rule needs one of pattern, patterns, pattern-either, pattern-regex");
  rule.formula = std::move(*formula);
  return rule;
}

}  // namespace

void parse_rule_file(std::string_view yaml_text, const std::string& origin, RuleSet& into) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& error) {
    into.errors.push_back(
        {origin + ":" + std::to_string(error.mark.line + 1), "invalid YAML: " + error.msg});
    return;
  }
  if (!root.IsMap() || !root["rules"]) {
    into.errors.push_back({origin, "not a rule file: expected a top-level 'rules:' list"});
    return;
  }
  const auto rules = root["rules"];
  if (!rules.IsSequence()) {
    into.errors.push_back({origin + ":" + std::to_string(line_of(rules)), "'rules' must be a list"});
    return;
  }
  for (const auto& node : rules) {
    std::string id;
    try {
      if (node.IsMap() && node["id"] && node["id"].IsScalar()) id = node["id"].Scalar();
      auto rule = parse_rule(node, origin);
      if (rule) {
        into.rules.push_back(std::move(*rule));
        continue;
      }
      const std::string who = id.empty() ? "rule" : "rule '" + id + "'";
      into.errors.push_back({origin + ":" + std::to_string(rule.error().line), who + ": " + rule.error().message});
    } catch (const YAML::Exception& error) {
      into.errors.push_back({origin + ":" + std::to_string(error.mark.line + 1),
                             (id.empty() ? std::string("rule") : "rule '" + id + "'") + ": " + error.msg});
    }
  }
}

bool is_rule_file_name(std::string_view file_name) {
  if (!file_name.ends_with(".yml") && !file_name.ends_with(".yaml")) return false;
  return !file_name.ends_with(".test.yaml") && !file_name.ends_with(".test.yml") &&
         file_name.find(".fixed.") == std::string_view::npos;
}

void load_rules(const std::filesystem::path& path, RuleSet& into) {
  namespace fs = std::filesystem;
  std::error_code error;
  std::vector<fs::path> files;
  if (fs::is_directory(path, error)) {
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, error);
    for (; !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      const std::string name = it->path().filename().string();
      if (it->is_directory(error) && name.starts_with('.')) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(error) && is_rule_file_name(name)) files.push_back(it->path());
    }
    if (error) into.errors.push_back({path.string(), "cannot list rule directory: " + error.message()});
    std::ranges::sort(files);
  } else {
    files.push_back(path);
  }
  for (const auto& file : files) {
    auto text = read_file(file, std::size_t{16} << 20);
    if (!text) {
      into.errors.push_back({file.string(), text.error().message});
      continue;
    }
    parse_rule_file(*text, file.string(), into);
  }
}

}  // namespace moat::pattern
