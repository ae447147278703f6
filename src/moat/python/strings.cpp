// String literals: implicit concatenation, bytes, f-strings (CPython 3.11's rules for the
// replacement fields: the parts of a JoinedStr and its FormattedValues span the whole literal)
// and PEP 750 t-strings.
#include <string>

#include "moat/python/lexer.hpp"
#include "moat/python/literals.hpp"
#include "moat/python/parser_impl.hpp"

namespace moat::python {

struct ParserImpl::StringPart {
  std::uint32_t body_begin;
  std::uint32_t body_end;
  bool raw;
  bool bytes;
  bool formatted;  // f-string
  bool templated;  // t-string
};

class ParserImpl::FStringBuilder {
 public:
  FStringBuilder(std::size_t values_mark, std::uint32_t literal_start, std::uint32_t literal_end, bool u_prefix)
      : mark(values_mark), start(literal_start), end(literal_end), u_kind(u_prefix) {}
  std::size_t mark;
  std::uint32_t start;  // the whole concatenation: CPython's range for parts and fields
  std::uint32_t end;
  bool u_kind;
  std::uint32_t token_start = 0;  // the string token being parsed: a format spec's range
  std::uint32_t token_end = 0;
  bool has_literal = false;
  std::string literal;

  /// Empty pieces (e.g. a backslash-newline) add nothing, as in CPython.
  void add_literal(std::string_view text) {
    if (text.empty()) return;
    has_literal = true;
    literal += text;
  }
};

namespace {

ParserImpl::StringPart split_literal(std::string_view src, const Token& token) {
  const std::string_view text = src.substr(token.start, token.end - token.start);
  const std::uint32_t prefix = string_prefix_length(text);
  ParserImpl::StringPart part{};
  for (std::uint32_t i = 0; i < prefix; ++i) {
    switch (text[i] | 0x20) {
      case 'r': part.raw = true; break;
      case 'b': part.bytes = true; break;
      case 'f': part.formatted = true; break;
      case 't': part.templated = true; break;
      default: break;
    }
  }
  const char quote = text[prefix];
  const bool triple = text.size() >= prefix + 6 && text[prefix + 1] == quote && text[prefix + 2] == quote;
  const std::uint32_t quotes = triple ? 3 : 1;
  part.body_begin = token.start + prefix + quotes;
  part.body_end = token.end - quotes;
  return part;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v'; }

}  // namespace

Expr* ParserImpl::strings() {
  const std::uint32_t start = cur().start;
  const std::size_t first = pos_;
  bool any_formatted = false;
  bool any_template = false;
  bool any_bytes = false;
  bool any_plain = false;
  while (at(TokenKind::String)) {
    const StringPart part = split_literal(src_, cur());
    any_formatted |= part.formatted;
    any_template |= part.templated;
    any_bytes |= part.bytes;
    any_plain |= !part.bytes && !part.templated;
    advance();
  }
  const std::size_t last = pos_;
  const std::uint32_t end = prev_end_;
  if (any_bytes && (any_plain || any_template)) fail_at(start, "cannot mix bytes and nonbytes literals");
  if (any_template && (any_plain || any_bytes)) fail_at(start, "cannot mix t-string literals with string or bytes literals");
  const bool u_kind = src_[start] == 'u';
  if (!any_formatted && !any_template) {
    std::string_view value;  // a single literal without escapes is its own value: no copy
    std::string joined;
    const bool single = significant(first + 1) == last;
    for (std::size_t i = first; i < last; i = significant(i + 1)) {
      const StringPart part = split_literal(src_, toks_[i]);
      const std::string_view body = src_.substr(part.body_begin, part.body_end - part.body_begin);
      if (part.bytes) {
        for (char c : body) {
          if (static_cast<unsigned char>(c) >= 0x80) fail_at(toks_[i].start, "bytes can only contain ASCII literal characters");
        }
      }
      if (single && (part.raw || body.find('\\') == std::string_view::npos)) {
        value = body;
        break;
      }
      if (auto error = decode_string_body(body, part.raw, part.bytes, string_buffer_)) fail_at(toks_[i].start, *error);
      joined += string_buffer_;
    }
    if (value.data() == nullptr) value = result_.arena_->copy(joined);
    auto* node = make<Constant>(start);
    node->value.kind = any_bytes ? ConstantValue::Kind::Bytes : ConstantValue::Kind::Str;
    node->value.text = value;
    if (u_kind) node->string_kind = "u";
    node->end = end;
    return node;
  }
  FStringBuilder builder(scratch_.size(), start, end, u_kind);
  for (std::size_t i = first; i < last; i = significant(i + 1)) {
    const StringPart part = split_literal(src_, toks_[i]);
    if (part.formatted || part.templated) {
      builder.token_start = toks_[i].start;
      builder.token_end = toks_[i].end;
      fstring_body(builder, part.body_begin, part.body_end, part.raw, 0, part.templated);
    } else {
      const std::string_view body = src_.substr(part.body_begin, part.body_end - part.body_begin);
      if (auto error = decode_string_body(body, part.raw, false, string_buffer_)) fail_at(toks_[i].start, *error);
      builder.add_literal(string_buffer_);
    }
  }
  flush_literal(builder);
  if (any_template) {
    auto* node = make<TemplateStr>(start);
    node->values = finish<Expr>(builder.mark);
    node->end = end;
    return node;
  }
  auto* node = make<JoinedStr>(start);
  node->values = finish<Expr>(builder.mark);
  node->end = end;
  return node;
}

void ParserImpl::flush_literal(FStringBuilder& builder, bool last_in_spec) {
  if (!builder.has_literal) return;
  auto* constant = make<Constant>(last_in_spec ? builder.token_start : builder.start);
  constant->end = last_in_spec ? builder.token_end : builder.end;
  constant->value.kind = ConstantValue::Kind::Str;
  constant->value.text = result_.arena_->copy(builder.literal);
  if (builder.u_kind) constant->string_kind = "u";
  scratch_.push_back(constant);
  builder.literal.clear();
  builder.has_literal = false;
}

std::uint32_t ParserImpl::fstring_body(FStringBuilder& builder, std::uint32_t begin, std::uint32_t end, bool raw, int level,
                                       bool template_string) {
  std::uint32_t pos = begin;
  while (pos < end) {
    // Literal text up to an un-doubled brace.
    std::uint32_t literal_start = pos;
    bool stop = false;
    while (pos < end) {
      char ch = src_[pos];
      if (!raw && ch == '\\' && pos + 1 < end) {
        const char next = src_[pos + 1];
        if (next == 'N') {
          if (pos + 2 < end && src_[pos + 2] == '{') {
            pos += 3;
            while (pos < end && src_[pos++] != '}') {
            }
            continue;
          }
          pos += 2;
          continue;
        }
        if (next != '{' && next != '}') {
          pos += 2;
          continue;
        }
        ++pos;
        ch = next;
      }
      if (ch == '{' || ch == '}') {
        if (level == 0) {
          if (pos + 1 < end && src_[pos + 1] == ch) {
            const std::string_view piece = src_.substr(literal_start, pos + 1 - literal_start);
            if (auto error = decode_string_body(piece, raw, false, string_buffer_)) fail_at(builder.start, *error);
            builder.add_literal(string_buffer_);
            pos += 2;
            literal_start = pos;
            continue;
          }
          if (ch == '}') fail_at(pos, "f-string: single '}' is not allowed");
        }
        stop = true;
        break;
      }
      ++pos;
    }
    if (pos > literal_start) {
      const std::string_view piece = src_.substr(literal_start, pos - literal_start);
      if (auto error = decode_string_body(piece, raw, false, string_buffer_)) fail_at(builder.start, *error);
      builder.add_literal(string_buffer_);
    }
    if (!stop || pos >= end) break;
    if (src_[pos] == '}') return pos;  // end of a format spec (level > 0)
    pos = replacement_field(builder, pos, end, raw, level, template_string);
  }
  return pos;
}

std::uint32_t ParserImpl::replacement_field(FStringBuilder& builder, std::uint32_t brace, std::uint32_t end, bool raw,
                                            int level, bool template_string) {
  const bool nested_quotes = options_.target >= PythonVersion::Py312;
  if (level >= 2 && !nested_quotes) fail_at(brace, "f-string: expressions nested too deeply");
  if (level >= kMaxNesting) fail_at(brace, "f-string: expressions nested too deeply");
  const std::uint32_t expr_start = brace + 1;
  std::uint32_t p = expr_start;
  char quote = 0;
  bool triple = false;
  std::string brackets;
  while (p < end) {
    const char ch = src_[p];
    if (ch == '\\' && !nested_quotes) fail_at(p, "f-string expression part cannot include a backslash");
    if (quote != 0) {
      if (ch == '\\') {
        p += 2;
        continue;
      }
      if (ch == quote) {
        if (triple) {
          if (p + 2 < end && src_[p + 1] == ch && src_[p + 2] == ch) {
            p += 3;
            quote = 0;
            continue;
          }
        } else {
          quote = 0;
        }
      }
      ++p;
      continue;
    }
    if (ch == '\'' || ch == '"') {
      if (p + 2 < end && src_[p + 1] == ch && src_[p + 2] == ch) {
        triple = true;
        p += 3;
      } else {
        triple = false;
        ++p;
      }
      quote = ch;
      continue;
    }
    if (ch == '[' || ch == '(' || ch == '{') {
      if (brackets.size() >= static_cast<std::size_t>(kMaxNesting)) fail_at(p, "f-string: too many nested parenthesis");
      brackets += ch;
      ++p;
      continue;
    }
    if (ch == '#') {
      if (!nested_quotes) fail_at(p, "f-string expression part cannot include '#'");
      while (p < end && src_[p] != '\n') ++p;
      continue;
    }
    if (brackets.empty() && (ch == '!' || ch == ':' || ch == '}' || ch == '=' || ch == '>' || ch == '<')) {
      if (p + 1 < end && src_[p + 1] == '=' && ch != ':' && ch != '}') {
        p += 2;
        continue;
      }
      if (ch == '>' || ch == '<') {
        ++p;
        continue;
      }
      break;
    }
    if (ch == ']' || ch == '}' || ch == ')') {
      if (brackets.empty()) fail_at(p, std::string("f-string: unmatched '") + ch + "'");
      const char open = brackets.back();
      brackets.pop_back();
      if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') || (open == '{' && ch == '}'))) {
        fail_at(p, std::string("f-string: closing parenthesis '") + ch + "' does not match opening parenthesis '" + open + "'");
      }
    }
    ++p;
  }
  if (quote != 0) fail_at(brace, "f-string: unterminated string");
  if (!brackets.empty()) fail_at(brace, std::string("f-string: unmatched '") + brackets.back() + "'");
  if (p >= end) fail_at(brace, "f-string: expecting '}'");
  const std::uint32_t expr_end = p;
  bool blank = true;
  for (std::uint32_t i = expr_start; i < expr_end; ++i) blank = blank && is_space(src_[i]);
  if (blank) fail_at(brace, "f-string: empty expression not allowed");
  Expr* value = fstring_expression(brace, expr_end);

  std::string_view debug_text;
  if (src_[p] == '=') {
    ++p;
    while (p < end && is_space(src_[p])) ++p;
    debug_text = src_.substr(expr_start, p - expr_start);
    if (p >= end) fail_at(brace, "f-string: expecting '}'");
  }
  int conversion = -1;
  if (src_[p] == '!') {
    ++p;
    if (p >= end) fail_at(brace, "f-string: expecting '}'");
    const char c = src_[p++];
    if (c != 's' && c != 'r' && c != 'a') fail_at(p - 1, "f-string: invalid conversion character: expected 's', 'r', or 'a'");
    conversion = c;
    if (p >= end) fail_at(brace, "f-string: expecting '}'");
  }
  Expr* format_spec = nullptr;
  if (p < end && src_[p] == ':') {
    ++p;
    const std::size_t saved_mark = scratch_.size();
    FStringBuilder spec(saved_mark, builder.start, builder.end, builder.u_kind);
    spec.token_start = builder.token_start;
    spec.token_end = builder.token_end;
    p = fstring_body(spec, p, end, raw, level + 1, template_string);
    flush_literal(spec, true);
    auto* joined = make<JoinedStr>(builder.token_start);
    joined->values = finish<Expr>(spec.mark);
    joined->end = builder.token_end;
    format_spec = joined;
  }
  if (p >= end || src_[p] != '}') fail_at(brace, "f-string: expecting '}'");
  ++p;
  if (!debug_text.empty()) {
    builder.add_literal(debug_text);
    if (conversion == -1 && format_spec == nullptr) conversion = 'r';
  }
  flush_literal(builder);
  if (template_string) {
    auto* node = make<Interpolation>(builder.start);
    node->value = value;
    node->str.kind = ConstantValue::Kind::Str;
    node->str.text = src_.substr(expr_start, expr_end - expr_start);
    node->conversion = conversion;
    node->format_spec = format_spec;
    node->end = builder.end;
    scratch_.push_back(node);
  } else {
    auto* node = make<FormattedValue>(builder.start);
    node->value = value;
    node->conversion = conversion;
    node->format_spec = format_spec;
    node->end = builder.end;
    scratch_.push_back(node);
  }
  return p;
}

Expr* ParserImpl::fstring_expression(std::uint32_t brace, std::uint32_t expr_end) {
  std::vector<Token> tokens;
  tokens.reserve(expr_end - brace + 4);
  tokens.push_back({TokenKind::LeftParen, brace, brace + 1});
  LexOptions lex_options;
  lex_options.nested_fstring_quotes = options_.target >= PythonVersion::Py312;
  lex_options.template_strings = options_.target >= PythonVersion::Py314;
  lex_options.metavariables = options_.patterns;
  lex_options.inside_brackets = true;
  if (auto error = lex(src_, brace + 1, expr_end, lex_options, tokens)) fail_at(error->offset, error->message);
  std::erase_if(tokens, [](const Token& token) { return token.kind == TokenKind::Comment || token.kind == TokenKind::NonLogicalNewline; });
  tokens.push_back({TokenKind::RightParen, expr_end, expr_end + 1});
  tokens.push_back({TokenKind::EndOfFile, expr_end + 1, expr_end + 1});
  ParserImpl child(result_, options_, tokens, depth_ + 1);
  child.ascii_source_ = ascii_source_;
  return child.parse_fstring_field();
}

}  // namespace moat::python
