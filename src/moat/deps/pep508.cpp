// PEP 508 tokenizer and recursive-descent parser for markers and requirements, following the
// grammar of `packaging`'s hand-written parser (context-sensitive tokens, explicit whitespace).
#include <algorithm>
#include <array>
#include <cstdint>

#include "moat/deps/marker.hpp"
#include "moat/deps/requirement.hpp"
#include "moat/deps/version.hpp"

namespace moat::deps {

namespace {

constexpr int kMaxNesting = 64;  // parentheses deeper than this are refused, never recursed into

bool is_word(char character) {
  return (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') ||
         (character >= '0' && character <= '9') || character == '_' || static_cast<unsigned char>(character) >= 0x80;
}

bool is_blank(char character) { return character == ' ' || character == '\t'; }

constexpr std::array<std::string_view, 16> kVariables{
    "python_version", "python_full_version", "os_name", "os.name", "sys_platform", "sys.platform",
    "platform_release", "platform_system", "platform_version", "platform.version", "platform_machine",
    "platform.machine", "platform_python_implementation", "platform.python_implementation",
    "python_implementation", "implementation_name"};
constexpr std::array<std::string_view, 4> kMoreVariables{"implementation_version", "extras", "extra",
                                                         "dependency_groups"};

class Tokenizer {
 public:
  explicit Tokenizer(std::string_view source) : source_(source) {}

  [[nodiscard]] std::size_t position() const { return position_; }
  [[nodiscard]] bool at_end() const { return position_ == source_.size(); }
  [[nodiscard]] std::string_view rest() const { return source_.substr(position_); }
  [[nodiscard]] char peek() const { return position_ < source_.size() ? source_[position_] : '\0'; }

  void skip_blanks() {
    while (is_blank(peek())) ++position_;
  }
  bool take_blanks() {
    const std::size_t start = position_;
    skip_blanks();
    return position_ > start;
  }
  bool take(char character) {
    if (peek() != character) return false;
    ++position_;
    return true;
  }
  [[nodiscard]] bool word_boundary_before() const { return position_ == 0 || !is_word(source_[position_ - 1]); }
  [[nodiscard]] bool word_boundary_at(std::size_t index) const {
    return index >= source_.size() || !is_word(source_[index]);
  }
  /// A keyword with word boundaries on both sides (`\bword\b`).
  bool take_keyword(std::string_view word) {
    if (!word_boundary_before() || !rest().starts_with(word) || !word_boundary_at(position_ + word.size()))
      return false;
    position_ += word.size();
    return true;
  }
  std::optional<std::string_view> take_variable() {
    if (!word_boundary_before()) return std::nullopt;
    std::string_view best;
    auto consider = [&](std::string_view name) {
      if (rest().starts_with(name) && word_boundary_at(position_ + name.size()) && name.size() > best.size())
        best = name;
    };
    for (const auto name : kVariables) consider(name);
    for (const auto name : kMoreVariables) consider(name);
    if (best.empty()) return std::nullopt;
    position_ += best.size();
    return best;
  }
  std::optional<std::string_view> take_identifier() {
    if (!word_boundary_before()) return std::nullopt;
    auto is_start = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
    if (!is_start(peek())) return std::nullopt;
    std::size_t end = position_ + 1;
    while (end < source_.size() && (is_start(source_[end]) || source_[end] == '.' || source_[end] == '_' ||
                                    source_[end] == '-'))
      ++end;
    // The identifier must end at a word boundary: back off trailing punctuation.
    while (end > position_ + 1 && !is_word(source_[end - 1])) --end;
    if (!word_boundary_at(end)) return std::nullopt;
    const auto identifier = source_.substr(position_, end - position_);
    position_ = end;
    return identifier;
  }
  std::optional<std::string_view> take_operator() {
    for (const std::string_view op : {"===", "==", "~=", "!=", "<=", ">=", "<", ">"}) {
      if (rest().starts_with(op)) {
        position_ += op.size();
        return op;
      }
    }
    return std::nullopt;
  }

  void set_position(std::size_t position) { position_ = position; }

 private:
  std::string_view source_;
  std::size_t position_ = 0;
};

Error syntax_error(std::string_view source, std::string message) {
  return Error{std::string(source), std::move(message)};
}

/// Decodes a quoted literal the way Python's literal_eval reads a plain string; nullopt when
/// Python would reject it.
std::optional<std::string> decode_python_string(std::string_view body) {
  std::string value;
  for (std::size_t index = 0; index < body.size(); ++index) {
    const char character = body[index];
    if (character != '\\') {
      value.push_back(character);
      continue;
    }
    if (index + 1 >= body.size()) return std::nullopt;
    const char escaped = body[++index];
    auto hex_run = [&](std::size_t digits) -> std::optional<std::uint32_t> {
      std::uint32_t code = 0;
      for (std::size_t offset = 1; offset <= digits; ++offset) {
        if (index + offset >= body.size()) return std::nullopt;
        const char digit = body[index + offset];
        code *= 16;
        if (digit >= '0' && digit <= '9') code += static_cast<std::uint32_t>(digit - '0');
        else if (digit >= 'a' && digit <= 'f') code += static_cast<std::uint32_t>(digit - 'a' + 10);
        else if (digit >= 'A' && digit <= 'F') code += static_cast<std::uint32_t>(digit - 'A' + 10);
        else return std::nullopt;
      }
      index += digits;
      return code;
    };
    auto append_utf8 = [&](std::uint32_t code) {
      if (code < 0x80) {
        value.push_back(static_cast<char>(code));
      } else if (code < 0x800) {
        value.push_back(static_cast<char>(0xC0 | (code >> 6)));
        value.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      } else if (code < 0x10000) {
        value.push_back(static_cast<char>(0xE0 | (code >> 12)));
        value.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        value.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      } else {
        value.push_back(static_cast<char>(0xF0 | (code >> 18)));
        value.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
        value.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
        value.push_back(static_cast<char>(0x80 | (code & 0x3F)));
      }
    };
    switch (escaped) {
      case '\\': value.push_back('\\'); break;
      case '\'': value.push_back('\''); break;
      case '"': value.push_back('"'); break;
      case 'n': value.push_back('\n'); break;
      case 't': value.push_back('\t'); break;
      case 'r': value.push_back('\r'); break;
      case 'a': value.push_back('\a'); break;
      case 'b': value.push_back('\b'); break;
      case 'f': value.push_back('\f'); break;
      case 'v': value.push_back('\v'); break;
      case '\n': break;
      case 'x': {
        const auto code = hex_run(2);
        if (!code) return std::nullopt;
        append_utf8(*code);
        break;
      }
      case 'u': {
        const auto code = hex_run(4);
        if (!code) return std::nullopt;
        append_utf8(*code);
        break;
      }
      case 'U': {
        const auto code = hex_run(8);
        if (!code || *code > 0x10FFFF) return std::nullopt;
        append_utf8(*code);
        break;
      }
      case 'N': return std::nullopt;  // named escapes need Unicode tables; refuse rather than guess
      default:
        if (escaped >= '0' && escaped <= '7') {
          std::uint32_t code = static_cast<std::uint32_t>(escaped - '0');
          for (int extra = 0; extra < 2 && index + 1 < body.size() && body[index + 1] >= '0' && body[index + 1] <= '7';
               ++extra)
            code = code * 8 + static_cast<std::uint32_t>(body[++index] - '0');
          append_utf8(code);
        } else {
          value.push_back('\\');  // unknown escapes stay as written
          value.push_back(escaped);
        }
    }
  }
  return value;
}

}  // namespace

class MarkerParser {
 public:
  explicit MarkerParser(Tokenizer& tokenizer, std::string_view source) : tokenizer_(tokenizer), source_(source) {}

  Result<MarkerNode> parse_marker(int depth) {
    MarkerNode list;
    auto first = parse_atom(depth);
    if (!first) return std::unexpected(first.error());
    list.children.push_back(std::move(*first));
    while (true) {
      std::string joiner;
      if (tokenizer_.take_keyword("or"))
        joiner = "or";
      else if (tokenizer_.take_keyword("and"))
        joiner = "and";
      else
        break;
      auto next = parse_atom(depth);
      if (!next) return std::unexpected(next.error());
      list.joiners.push_back(joiner);
      list.children.push_back(std::move(*next));
    }
    return list;
  }

 private:
  Result<MarkerNode> parse_atom(int depth) {
    tokenizer_.skip_blanks();
    MarkerNode atom;
    if (tokenizer_.peek() == '(') {
      if (depth >= kMaxNesting) return std::unexpected(syntax_error(source_, "marker nested too deeply"));
      tokenizer_.take('(');
      tokenizer_.skip_blanks();
      auto inner = parse_marker(depth + 1);
      if (!inner) return std::unexpected(inner.error());
      tokenizer_.skip_blanks();
      if (!tokenizer_.take(')'))
        return std::unexpected(
            syntax_error(source_, "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression"));
      atom = std::move(*inner);
    } else {
      auto item = parse_item();
      if (!item) return std::unexpected(item.error());
      atom = std::move(*item);
    }
    tokenizer_.skip_blanks();
    return atom;
  }

  Result<MarkerNode> parse_item() {
    MarkerNode item;
    tokenizer_.skip_blanks();
    auto left = parse_operand();
    if (!left) return std::unexpected(left.error());
    tokenizer_.skip_blanks();
    if (tokenizer_.take_keyword("in")) {
      item.op = "in";
    } else if (tokenizer_.take_keyword("not")) {
      if (!tokenizer_.take_blanks()) return std::unexpected(syntax_error(source_, "Expected whitespace after 'not'"));
      if (!tokenizer_.take_keyword("in")) return std::unexpected(syntax_error(source_, "Expected 'in' after 'not'"));
      item.op = "not in";
    } else if (auto op = tokenizer_.take_operator()) {
      item.op = std::string(*op);
    } else {
      return std::unexpected(syntax_error(
          source_, "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in"));
    }
    tokenizer_.skip_blanks();
    auto right = parse_operand();
    if (!right) return std::unexpected(right.error());
    tokenizer_.skip_blanks();
    item.left = std::move(*left);
    item.right = std::move(*right);
    normalize_names(item);
    return item;
  }

  Result<MarkerOperand> parse_operand() {
    if (auto variable = tokenizer_.take_variable()) {
      std::string name(*variable);
      std::ranges::replace(name, '.', '_');
      if (name == "python_implementation") name = "platform_python_implementation";
      return MarkerOperand{true, name};
    }
    const char quote = tokenizer_.peek();
    if (quote == '\'' || quote == '"') {
      const auto rest = tokenizer_.rest();
      const std::size_t close = rest.find(quote, 1);
      if (close != std::string_view::npos) {
        auto value = decode_python_string(rest.substr(1, close - 1));
        if (!value) return std::unexpected(syntax_error(source_, "Invalid quoted string"));
        tokenizer_.set_position(tokenizer_.position() + close + 1);
        return MarkerOperand{false, std::move(*value)};
      }
    }
    return std::unexpected(syntax_error(source_, "Expected a marker variable or quoted string"));
  }

  /// PEP 685: extra names compare normalized.
  static void normalize_names(MarkerNode& item) {
    if (item.left.is_variable && item.left.text == "extra" && !item.right.is_variable)
      item.right.text = normalize_name(item.right.text);
    else if (item.right.is_variable && item.right.text == "extra" && !item.left.is_variable)
      item.left.text = normalize_name(item.left.text);
    else if (item.right.is_variable && (item.right.text == "extras" || item.right.text == "dependency_groups") &&
             !item.left.is_variable)
      item.left.text = normalize_name(item.left.text);
  }

  Tokenizer& tokenizer_;
  std::string_view source_;
};

namespace {

std::string quote_value(const std::string& value) {
  if (value.find('"') == std::string::npos) return "\"" + value + "\"";
  return "'" + value + "'";
}

std::string format_node(const MarkerNode& node, bool first) {
  if (!node.op.empty()) {
    auto operand = [](const MarkerOperand& o) { return o.is_variable ? o.text : quote_value(o.text); };
    return operand(node.left) + " " + node.op + " " + operand(node.right);
  }
  if (node.children.size() == 1) return format_node(node.children.front(), first);
  std::string text;
  for (std::size_t index = 0; index < node.children.size(); ++index) {
    if (index > 0) text += " " + node.joiners[index - 1] + " ";
    text += format_node(node.children[index], false);
  }
  return first ? text : "(" + text + ")";
}

bool is_version_variable(std::string_view name) {
  return name == "implementation_version" || name == "platform_release" || name == "python_full_version" ||
         name == "python_version";
}

Result<bool> evaluate_item(const MarkerNode& item, const MarkerEnvironment& environment) {
  const std::string& key = item.left.is_variable ? item.left.text : item.right.text;
  const bool set_valued = key == "extras" || key == "dependency_groups";
  std::string left;
  std::string right;
  const std::set<std::string>* right_set = nullptr;
  auto lookup = [&](const std::string& name, std::string& out, const std::set<std::string>** set_out) -> Result<void> {
    if (const auto found = environment.values.find(name); found != environment.values.end()) {
      out = found->second;
      return {};
    }
    if (const auto found = environment.sets.find(name); found != environment.sets.end() && set_out != nullptr) {
      *set_out = &found->second;
      return {};
    }
    if (environment.sets.contains(name))
      return fail(name, "a set-valued marker variable can only be used as `\"name\" in " + name + "`");
    return fail(name, "marker variable not defined in the target environment");
  };
  if (item.left.is_variable) {
    if (auto found = lookup(item.left.text, left, nullptr); !found) return std::unexpected(found.error());
    right = item.right.text;
  } else {
    left = item.left.text;
    if (auto found = lookup(item.right.text, right, &right_set); !found) return std::unexpected(found.error());
  }
  if (key == "extra") {
    // The environment's extra is normalized; the literal was normalized when parsed.
  } else if (set_valued) {
    left = normalize_name(left);
  }
  if (is_version_variable(key) && right_set == nullptr) {
    if (auto specifier = Specifier::parse(item.op + right))
      return specifier->contains(Candidate::from_text(left), true);
  }
  if (item.op == "in" || item.op == "not in") {
    bool found = false;
    if (right_set != nullptr) {
      found = std::ranges::any_of(*right_set, [&](const std::string& member) { return normalize_name(member) == left; });
    } else {
      found = right.find(left) != std::string::npos;
    }
    return item.op == "in" ? found : !found;
  }
  if (right_set != nullptr) return fail(key, "a set-valued marker variable can only be used with `in`");
  if (item.op == "==" || item.op == "<=" || item.op == ">=") return left == right;
  if (item.op == "!=") return left != right;
  if (item.op == "<" || item.op == ">") return false;
  return fail(key, "undefined comparison '" + item.op + "' on '" + left + "' and '" + right + "'");
}

Result<bool> evaluate_node(const MarkerNode& node, const MarkerEnvironment& environment) {
  if (!node.op.empty()) return evaluate_item(node, environment);
  // "and" binds tighter than "or": any group of and-ed terms true.
  bool any_group = false;
  bool group = true;
  for (std::size_t index = 0; index < node.children.size(); ++index) {
    if (index > 0 && node.joiners[index - 1] == "or") {
      any_group = any_group || group;
      group = true;
    }
    auto value = evaluate_node(node.children[index], environment);
    if (!value) return value;
    group = group && *value;
  }
  return any_group || group;
}

}  // namespace

MarkerEnvironment MarkerEnvironment::for_python(std::string_view python_full_version, std::string_view platform) {
  MarkerEnvironment environment;
  std::string full(python_full_version);
  std::string short_version = full;
  if (const auto first = full.find('.'); first != std::string::npos) {
    const auto second = full.find('.', first + 1);
    short_version = full.substr(0, second);
    if (second == std::string::npos) full += ".0";
  }
  const bool windows = platform == "win32" || platform == "windows";
  const bool mac = platform == "darwin" || platform == "macos";
  environment.values = {
      {"implementation_name", "cpython"},
      {"implementation_version", full},
      {"os_name", windows ? "nt" : "posix"},
      {"platform_machine", windows ? "AMD64" : (mac ? "arm64" : "x86_64")},
      {"platform_release", ""},
      {"platform_system", windows ? "Windows" : (mac ? "Darwin" : "Linux")},
      {"platform_version", ""},
      {"python_full_version", full},
      {"platform_python_implementation", "CPython"},
      {"python_version", short_version},
      {"sys_platform", windows ? "win32" : (mac ? "darwin" : "linux")},
      {"extra", ""},
  };
  return environment;
}

Result<Marker> Marker::parse(std::string_view text) {
  Tokenizer tokenizer(text);
  MarkerParser parser(tokenizer, text);
  auto root = parser.parse_marker(0);
  if (!root) return std::unexpected(root.error());
  if (!tokenizer.at_end()) return fail(std::string(text), "Expected end of marker expression");
  Marker marker;
  marker.root_ = std::move(*root);
  return marker;
}

std::string Marker::to_string() const { return format_node(root_, true); }

Result<bool> Marker::evaluate(const MarkerEnvironment& environment) const {
  MarkerEnvironment adjusted = environment;
  // Outside lock files (no set-valued variables) an unset extra means "no extra", as in metadata.
  if (adjusted.sets.empty()) adjusted.values.try_emplace("extra", "");
  if (auto extra = adjusted.values.find("extra"); extra != adjusted.values.end() && !extra->second.empty())
    extra->second = normalize_name(extra->second);
  if (auto full = adjusted.values.find("python_full_version");
      full != adjusted.values.end() && full->second.ends_with('+'))
    full->second += "local";
  return evaluate_node(root_, adjusted);
}

Result<Requirement> Requirement::parse(std::string_view text) {
  Tokenizer tokenizer(text);
  Requirement requirement;
  tokenizer.skip_blanks();
  const auto name = tokenizer.take_identifier();
  if (!name) return fail(std::string(text), "Expected package name at the start of dependency specifier");
  requirement.name = std::string(*name);
  tokenizer.skip_blanks();

  if (tokenizer.take('[')) {
    tokenizer.skip_blanks();
    if (const auto first = tokenizer.take_identifier()) {
      requirement.extras.emplace_back(*first);
      while (true) {
        tokenizer.skip_blanks();
        const std::size_t before = tokenizer.position();
        if (tokenizer.take_identifier()) {
          tokenizer.set_position(before);
          return fail(std::string(text), "Expected comma between extra names");
        }
        if (!tokenizer.take(',')) break;
        tokenizer.skip_blanks();
        const auto extra = tokenizer.take_identifier();
        if (!extra) return fail(std::string(text), "Expected extra name after comma");
        requirement.extras.emplace_back(*extra);
      }
    }
    tokenizer.skip_blanks();
    if (!tokenizer.take(']'))
      return fail(std::string(text), "Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras");
  }
  tokenizer.skip_blanks();

  bool parse_marker = false;
  if (tokenizer.take('@')) {
    tokenizer.skip_blanks();
    const auto rest = tokenizer.rest();
    const std::size_t length = std::min(rest.find_first_of(" \t"), rest.size());
    if (length == 0) return fail(std::string(text), "Expected URL after @");
    requirement.url = std::string(rest.substr(0, length));
    tokenizer.set_position(tokenizer.position() + length);
    if (!tokenizer.at_end()) {
      if (!tokenizer.take_blanks()) return fail(std::string(text), "Expected whitespace after URL");
      if (!tokenizer.at_end()) {
        if (!tokenizer.take(';')) return fail(std::string(text), "Expected semicolon (after URL and whitespace) or end");
        parse_marker = true;
      }
    }
  } else {
    const bool parenthesised = tokenizer.take('(');
    tokenizer.skip_blanks();
    std::string specifiers;
    while (const std::size_t length = match_specifier(tokenizer.rest())) {
      const auto specifier = tokenizer.rest().substr(0, length);
      tokenizer.set_position(tokenizer.position() + length);
      specifiers += specifier;
      if (tokenizer.rest().starts_with(".*")) {
        const bool equality = specifier.starts_with("!=") || (specifier.starts_with("==") && !specifier.starts_with("==="));
        return fail(std::string(text), equality ? ".* suffix cannot be used with pre-release, post-release, dev or local versions"
                                                : ".* suffix can only be used with `==` or `!=` operators");
      }
      if (tokenizer.peek() == '+')
        return fail(std::string(text), "Local version label can only be used with `==` or `!=` operators");
      tokenizer.skip_blanks();
      if (!tokenizer.take(',')) break;
      specifiers += ',';
      tokenizer.skip_blanks();
    }
    tokenizer.skip_blanks();
    if (parenthesised && !tokenizer.take(')'))
      return fail(std::string(text), "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier");
    auto set = SpecifierSet::parse(specifiers);
    if (!set) return fail(std::string(text), "Invalid specifier: " + set.error().subject);
    requirement.specifier = std::move(*set);
    tokenizer.skip_blanks();
    if (!tokenizer.at_end()) {
      if (!tokenizer.take(';'))
        return fail(std::string(text), specifiers.empty()
                                           ? "Expected semicolon (after name with no version specifier) or end"
                                           : "Expected comma (within version specifier), semicolon (after version specifier) or end");
      parse_marker = true;
    }
  }
  if (parse_marker) {
    auto marker = Marker::parse(tokenizer.rest());
    if (!marker) return fail(std::string(text), marker.error().message);
    requirement.marker = std::move(*marker);
  }
  return requirement;
}

std::string Requirement::to_string() const {
  std::string text = name;
  if (!extras.empty()) {
    std::vector<std::string> sorted = extras;
    std::ranges::sort(sorted);
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    text += "[";
    for (std::size_t index = 0; index < sorted.size(); ++index) text += (index > 0 ? "," : "") + sorted[index];
    text += "]";
  }
  text += specifier.to_string();
  if (!url.empty()) {
    text += " @ " + url;
    if (marker) text += " ";
  }
  if (marker) text += "; " + marker->to_string();
  return text;
}

}  // namespace moat::deps
