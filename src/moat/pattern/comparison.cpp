#include "moat/pattern/comparison.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

#include "moat/pattern/regex.hpp"

namespace moat::pattern {

struct Comparison::Node {
  enum class Kind { literal, metavariable, call, unary, binary, list };
  Kind kind = Kind::literal;
  Value literal;
  std::string name;  // metavariable, function name or operator
  std::vector<std::unique_ptr<Node>> operands;
};

namespace {

using Node = Comparison::Node;
constexpr int kMaxDepth = 64;

std::optional<Value> parse_number(std::string_view text) {
  std::string digits;
  for (char c : text)
    if (c != '_') digits.push_back(c);
  long long integer = 0;
  int base = 10;
  std::string_view body = digits;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) base = 16;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'o' || body[1] == 'O')) base = 8;
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'b' || body[1] == 'B')) base = 2;
  if (base != 10) body.remove_prefix(2);
  auto [end, error] = std::from_chars(body.data(), body.data() + body.size(), integer, base);
  if (error == std::errc() && end == body.data() + body.size()) return Value{integer};
  double real = 0;
  auto [real_end, real_error] = std::from_chars(digits.data(), digits.data() + digits.size(), real);
  if (real_error == std::errc() && real_end == digits.data() + digits.size()) return Value{real};
  return std::nullopt;
}

// The content of a simple Python string literal (prefixes r/b/u/f, single or triple quotes).
std::optional<std::string> string_content(std::string_view code) {
  std::size_t prefix = 0;
  while (prefix < code.size() && prefix < 2 && std::isalpha(static_cast<unsigned char>(code[prefix]))) ++prefix;
  std::string_view rest = code.substr(prefix);
  if (rest.size() < 2) return std::nullopt;
  const char quote = rest.front();
  if ((quote != '"' && quote != '\'') || rest.back() != quote) return std::nullopt;
  const std::size_t width = rest.size() >= 6 && rest[1] == quote && rest[2] == quote ? 3 : 1;
  if (rest.size() < 2 * width) return std::nullopt;
  return std::string(rest.substr(width, rest.size() - 2 * width));
}

bool truthy(const Value& value) {
  return std::visit(
      [](const auto& v) -> bool {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) return false;
        else if constexpr (std::is_same_v<T, std::string>) return !v.empty();
        else return v != 0;
      },
      value);
}

std::optional<double> as_number(const Value& value) {
  if (const auto* integer = std::get_if<long long>(&value)) return static_cast<double>(*integer);
  if (const auto* real = std::get_if<double>(&value)) return *real;
  if (const auto* boolean = std::get_if<bool>(&value)) return *boolean ? 1.0 : 0.0;
  return std::nullopt;
}

std::string as_string(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* integer = std::get_if<long long>(&value)) return std::to_string(*integer);
  if (const auto* real = std::get_if<double>(&value)) return std::to_string(*real);
  if (const auto* boolean = std::get_if<bool>(&value)) return *boolean ? "True" : "False";
  return "None";
}

bool values_equal(const Value& left, const Value& right) {
  auto a = as_number(left), b = as_number(right);
  if (a && b) return *a == *b;
  if (left.index() != right.index()) return false;
  return as_string(left) == as_string(right);
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Result<std::unique_ptr<Node>> parse() {
    auto node = parse_or(0);
    if (!node) return node;
    skip_space();
    if (position_ != text_.size()) return error("unexpected '" + std::string(text_.substr(position_, 10)) + "'");
    return node;
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;

  std::unexpected<Error> error(const std::string& message) const {
    return fail("", "metavariable-comparison: " + message + " at offset " + std::to_string(position_));
  }
  void skip_space() {
    while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
  }
  bool accept_word(std::string_view word) {
    skip_space();
    if (!text_.substr(position_).starts_with(word)) return false;
    const std::size_t after = position_ + word.size();
    if (after < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[after])) || text_[after] == '_'))
      return false;
    position_ = after;
    return true;
  }
  bool accept(std::string_view symbol) {
    skip_space();
    if (!text_.substr(position_).starts_with(symbol)) return false;
    position_ += symbol.size();
    return true;
  }
  static std::unique_ptr<Node> make(Node::Kind kind, std::string name) {
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->name = std::move(name);
    return node;
  }
  static std::unique_ptr<Node> binary(std::string op, std::unique_ptr<Node> left, std::unique_ptr<Node> right) {
    auto node = make(Node::Kind::binary, std::move(op));
    node->operands.push_back(std::move(left));
    node->operands.push_back(std::move(right));
    return node;
  }

  Result<std::unique_ptr<Node>> parse_or(int depth) {
    if (depth > kMaxDepth) return error("expression nested too deeply");
    auto left = parse_and(depth);
    if (!left) return left;
    while (accept_word("or")) {
      auto right = parse_and(depth);
      if (!right) return right;
      left = binary("or", std::move(*left), std::move(*right));
    }
    return left;
  }
  Result<std::unique_ptr<Node>> parse_and(int depth) {
    auto left = parse_not(depth);
    if (!left) return left;
    while (accept_word("and")) {
      auto right = parse_not(depth);
      if (!right) return right;
      left = binary("and", std::move(*left), std::move(*right));
    }
    return left;
  }
  Result<std::unique_ptr<Node>> parse_not(int depth) {
    if (accept_word("not")) {
      auto operand = parse_not(depth + 1);
      if (!operand) return operand;
      auto node = make(Node::Kind::unary, "not");
      node->operands.push_back(std::move(*operand));
      return node;
    }
    return parse_comparison(depth);
  }
  Result<std::unique_ptr<Node>> parse_comparison(int depth) {
    auto left = parse_sum(depth);
    if (!left) return left;
    for (;;) {
      std::string op;
      for (std::string_view candidate : {"<=", ">=", "==", "!=", "<", ">"})
        if (accept(candidate)) {
          op = candidate;
          break;
        }
      if (op.empty()) {
        const std::size_t saved = position_;
        if (accept_word("not") && accept_word("in")) op = "not in";
        else {
          position_ = saved;
          if (accept_word("in")) op = "in";
        }
      }
      if (op.empty()) return left;
      auto right = parse_sum(depth);
      if (!right) return right;
      left = binary(op, std::move(*left), std::move(*right));
    }
  }
  Result<std::unique_ptr<Node>> parse_sum(int depth) {
    auto left = parse_product(depth);
    if (!left) return left;
    for (;;) {
      std::string op = accept("+") ? "+" : accept("-") ? "-" : "";
      if (op.empty()) return left;
      auto right = parse_product(depth);
      if (!right) return right;
      left = binary(op, std::move(*left), std::move(*right));
    }
  }
  Result<std::unique_ptr<Node>> parse_product(int depth) {
    auto left = parse_unary(depth);
    if (!left) return left;
    for (;;) {
      std::string op = accept("//") ? "//" : accept("*") ? "*" : accept("/") ? "/" : accept("%") ? "%" : "";
      if (op.empty()) return left;
      auto right = parse_unary(depth);
      if (!right) return right;
      left = binary(op, std::move(*left), std::move(*right));
    }
  }
  Result<std::unique_ptr<Node>> parse_unary(int depth) {
    if (accept("-")) {
      auto operand = parse_unary(depth + 1);
      if (!operand) return operand;
      auto node = make(Node::Kind::unary, "-");
      node->operands.push_back(std::move(*operand));
      return node;
    }
    return parse_atom(depth);
  }
  Result<std::unique_ptr<Node>> parse_atom(int depth) {
    skip_space();
    if (position_ >= text_.size()) return error("unexpected end of expression");
    const char c = text_[position_];
    if (c == '(') {
      ++position_;
      auto inner = parse_or(depth + 1);
      if (!inner) return inner;
      if (!accept(")")) return error("expected ')'");
      return inner;
    }
    if (c == '[') {
      ++position_;
      auto list = make(Node::Kind::list, "");
      if (!accept("]")) {
        for (;;) {
          auto item = parse_or(depth + 1);
          if (!item) return item;
          list->operands.push_back(std::move(*item));
          if (accept("]")) break;
          if (!accept(",")) return error("expected ',' or ']'");
        }
      }
      return list;
    }
    if (c == '"' || c == '\'') {
      std::size_t end = position_ + 1;
      while (end < text_.size() && text_[end] != c) end += text_[end] == '\\' ? 2 : 1;
      if (end >= text_.size()) return error("unterminated string");
      auto node = make(Node::Kind::literal, "");
      node->literal = std::string(text_.substr(position_ + 1, end - position_ - 1));
      position_ = end + 1;
      return node;
    }
    if (c == '$') {
      std::size_t end = position_ + 1;
      while (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_')) ++end;
      auto node = make(Node::Kind::metavariable, std::string(text_.substr(position_, end - position_)));
      position_ = end;
      return node;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      std::size_t end = position_;
      while (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_' ||
                                    text_[end] == '.'))
        ++end;
      auto number = parse_number(text_.substr(position_, end - position_));
      if (!number) return error("bad number");
      auto node = make(Node::Kind::literal, "");
      node->literal = *number;
      position_ = end;
      return node;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = position_;
      while (end < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[end])) || text_[end] == '_' ||
                                    text_[end] == '.'))
        ++end;
      std::string name(text_.substr(position_, end - position_));
      position_ = end;
      if (name == "True" || name == "False") {
        auto node = make(Node::Kind::literal, "");
        node->literal = name == "True";
        return node;
      }
      if (name == "None") return make(Node::Kind::literal, "");
      if (!accept("(")) return error("unknown name '" + name + "'");
      if (name != "int" && name != "float" && name != "str" && name != "len" && name != "re.match" &&
          name != "re.search" && name != "bool")
        return error("unsupported function '" + name + "'");
      auto call = make(Node::Kind::call, name);
      if (!accept(")")) {
        for (;;) {
          auto argument = parse_or(depth + 1);
          if (!argument) return argument;
          call->operands.push_back(std::move(*argument));
          if (accept(")")) break;
          if (!accept(",")) return error("expected ',' or ')'");
        }
      }
      return call;
    }
    return error(std::string("unexpected '") + c + "'");
  }
};

struct Evaluator {
  const std::function<std::optional<Value>(std::string_view)>& lookup;
  bool unbound = false;

  Value eval(const Node& node) {
    switch (node.kind) {
      case Node::Kind::literal: return node.literal;
      case Node::Kind::metavariable: {
        auto value = lookup(node.name);
        if (!value) unbound = true;
        return value.value_or(Value{});
      }
      case Node::Kind::list: return Value{};  // only meaningful as the right side of `in`
      case Node::Kind::unary: {
        Value operand = eval(*node.operands[0]);
        if (node.name == "not") return !truthy(operand);
        if (auto number = as_number(operand)) {
          if (std::holds_alternative<long long>(operand)) return -std::get<long long>(operand);
          return -*number;
        }
        return Value{};
      }
      case Node::Kind::call: return call(node);
      case Node::Kind::binary: return binary(node);
    }
    return Value{};
  }

  Value call(const Node& node) {
    std::vector<Value> arguments;
    for (const auto& operand : node.operands) arguments.push_back(eval(*operand));
    if (node.name == "re.match" || node.name == "re.search") {
      if (arguments.size() != 2) return false;
      auto regex = Regex::compile(as_string(arguments[0]));
      if (!regex) return false;
      const std::string subject = as_string(arguments[1]);
      return node.name == "re.match" ? regex->matches_at_start(subject) : regex->search(subject);
    }
    if (arguments.size() != 1) return Value{};
    const Value& argument = arguments[0];
    if (node.name == "str") return as_string(argument);
    if (node.name == "len") return static_cast<long long>(as_string(argument).size());
    if (node.name == "bool") return truthy(argument);
    if (const auto* text = std::get_if<std::string>(&argument)) {
      auto number = parse_number(*text);
      if (!number) return Value{};
      argument_to_kind(*number, node.name);
      return *number;
    }
    auto number = as_number(argument);
    if (!number) return Value{};
    if (node.name == "int") return static_cast<long long>(*number);
    return *number;
  }

  static void argument_to_kind(Value& value, const std::string& function) {
    auto number = as_number(value);
    if (!number) return;
    if (function == "int") value = static_cast<long long>(*number);
    else value = *number;
  }

  Value binary(const Node& node) {
    const std::string& op = node.name;
    if (op == "and") {
      Value left = eval(*node.operands[0]);
      return truthy(left) ? Value{truthy(eval(*node.operands[1]))} : Value{false};
    }
    if (op == "or") {
      Value left = eval(*node.operands[0]);
      return truthy(left) ? Value{true} : Value{truthy(eval(*node.operands[1]))};
    }
    if (op == "in" || op == "not in") {
      Value left = eval(*node.operands[0]);
      const Node& container = *node.operands[1];
      bool found = false;
      if (container.kind == Node::Kind::list) {
        for (const auto& item : container.operands) found = found || values_equal(left, eval(*item));
      } else {
        found = as_string(eval(container)).find(as_string(left)) != std::string::npos;
      }
      return op == "in" ? found : !found;
    }
    Value left = eval(*node.operands[0]);
    Value right = eval(*node.operands[1]);
    if (op == "==") return values_equal(left, right);
    if (op == "!=") return !values_equal(left, right);
    auto a = as_number(left), b = as_number(right);
    if (op == "+" && !a) return as_string(left) + as_string(right);
    if (!a || !b) {
      // Only strings order against strings; code that is no literal never orders against a number.
      if (!std::holds_alternative<std::string>(left) || !std::holds_alternative<std::string>(right)) return Value{};
      if (op == "<") return as_string(left) < as_string(right);
      if (op == ">") return as_string(left) > as_string(right);
      if (op == "<=") return as_string(left) <= as_string(right);
      if (op == ">=") return as_string(left) >= as_string(right);
      return Value{};
    }
    const bool integers = std::holds_alternative<long long>(left) && std::holds_alternative<long long>(right);
    if (op == "<") return *a < *b;
    if (op == ">") return *a > *b;
    if (op == "<=") return *a <= *b;
    if (op == ">=") return *a >= *b;
    if (op == "+") return integers ? Value{std::get<long long>(left) + std::get<long long>(right)} : Value{*a + *b};
    if (op == "-") return integers ? Value{std::get<long long>(left) - std::get<long long>(right)} : Value{*a - *b};
    if (op == "*") return integers ? Value{std::get<long long>(left) * std::get<long long>(right)} : Value{*a * *b};
    if (*b == 0) return Value{};
    if (op == "/") return *a / *b;
    if (op == "//") return std::floor(*a / *b);
    if (op == "%") return std::fmod(*a, *b);
    return Value{};
  }
};

}  // namespace

Value value_of_code(std::string_view code) {
  while (!code.empty() && std::isspace(static_cast<unsigned char>(code.front()))) code.remove_prefix(1);
  while (!code.empty() && std::isspace(static_cast<unsigned char>(code.back()))) code.remove_suffix(1);
  if (code == "True") return true;
  if (code == "False") return false;
  if (code == "None") return Value{};
  if (!code.empty() && (std::isdigit(static_cast<unsigned char>(code.front())) || code.front() == '-'))
    if (auto number = parse_number(code)) return *number;
  if (auto content = string_content(code)) return *content;
  return std::string(code);
}

Comparison::~Comparison() = default;

Result<std::shared_ptr<const Comparison>> Comparison::parse(std::string_view expression) {
  Parser parser(expression);
  auto root = parser.parse();
  if (!root) return std::unexpected(root.error());
  std::shared_ptr<Comparison> comparison(new Comparison());
  comparison->root_ = std::move(*root);
  return comparison;
}

bool Comparison::evaluate(const std::function<std::optional<Value>(std::string_view)>& lookup) const {
  Evaluator evaluator{lookup};
  const Value result = evaluator.eval(*root_);
  return !evaluator.unbound && truthy(result);
}

}  // namespace moat::pattern
