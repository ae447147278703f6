#include "moat/pattern/regex_literals.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace moat::pattern {

namespace {

using Strings = std::vector<std::string>;

constexpr std::size_t kMaxExact = 64;  // exact sets larger than this become requirements
constexpr int kMaxDepth = 100;

// What one piece of a regex matches: exactly one of `exact` (when known and small), and in any
// case text containing one of `any_of` (when known).
struct Info {
  std::optional<Strings> exact;
  std::optional<Strings> any_of;

  static Info literal(std::string text) { return {Strings{std::move(text)}, std::nullopt}; }
  static Info empty() { return literal(""); }
  static Info unknown() { return {}; }

  // The requirement this piece puts on the text: its exact strings when none is empty.
  [[nodiscard]] std::optional<Strings> requirement() const {
    if (exact) {
      if (std::ranges::any_of(*exact, [](const std::string& s) { return s.empty(); })) return std::nullopt;
      return exact;
    }
    return any_of;
  }
};

std::size_t shortest(const Strings& strings) {
  std::size_t length = std::string::npos;
  for (const auto& s : strings) length = std::min(length, s.size());
  return length;
}

// The more selective of two requirements: longer shortest literal, then fewer literals.
std::optional<Strings> better(std::optional<Strings> a, std::optional<Strings> b) {
  if (!a) return b;
  if (!b) return a;
  const std::size_t la = shortest(*a), lb = shortest(*b);
  if (la != lb) return la > lb ? a : b;
  return a->size() <= b->size() ? a : b;
}

void unique(Strings& strings) {
  std::ranges::sort(strings);
  strings.erase(std::ranges::unique(strings).begin(), strings.end());
}

// Two exactly known pieces one after the other (the caller bounds the product's size).
Info concat(const Info& a, const Info& b) {
  Strings product;
  for (const auto& x : *a.exact)
    for (const auto& y : *b.exact) product.push_back(x + y);
  unique(product);
  return {std::move(product), std::nullopt};
}

Info alternate(const Info& a, const Info& b) {
  if (a.exact && b.exact && a.exact->size() + b.exact->size() <= kMaxExact) {
    Strings both = *a.exact;
    both.insert(both.end(), b.exact->begin(), b.exact->end());
    unique(both);
    return {std::move(both), std::nullopt};
  }
  auto ra = a.requirement(), rb = b.requirement();
  if (!ra || !rb) return Info::unknown();
  ra->insert(ra->end(), rb->begin(), rb->end());
  unique(*ra);
  return {std::nullopt, std::move(ra)};
}

char fold(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

unsigned hex_digit(char c) {
  if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
  return static_cast<unsigned>(std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
}

class Walker {
 public:
  explicit Walker(std::string_view source) : s_(source) {}

  std::optional<Info> run() {
    Info info = alternation(0);
    if (failed_ || i_ != s_.size()) return std::nullopt;
    return info;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  bool failed_ = false;

  bool at_end() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  Info fail() {
    failed_ = true;
    i_ = s_.size();
    return Info::unknown();
  }

  Info alternation(int depth) {
    if (depth > kMaxDepth) return fail();
    Info info = sequence(depth);
    while (!failed_ && peek() == '|' && !at_end()) {
      ++i_;
      info = alternate(info, sequence(depth));
    }
    return info;
  }

  // A concatenation: runs of exactly known pieces are joined into longer literals; the most
  // selective requirement of any run or piece is kept.
  Info sequence(int depth) {
    Info run = Info::empty();
    std::optional<Strings> best;
    bool all_exact = true;
    while (!failed_ && !at_end() && peek() != '|' && peek() != ')') {
      Info piece = quantified(atom(depth));
      if (run.exact && piece.exact && run.exact->size() * piece.exact->size() <= kMaxExact) {
        run = concat(run, piece);
        continue;
      }
      all_exact = false;
      best = better(std::move(best), better(run.requirement(), piece.requirement()));
      run = piece.exact ? std::move(piece) : Info::empty();
    }
    if (all_exact) return run;
    return {std::nullopt, better(std::move(best), run.requirement())};
  }

  // Reads `{n}`, `{n,}`, `{n,m}` at i_; nullopt (consuming nothing) when it is a literal brace.
  std::optional<std::pair<unsigned, unsigned>> braces() {
    std::size_t j = i_ + 1;
    unsigned low = 0, high = 0;
    bool digits = false;
    while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) {
      low = std::min(low * 10 + static_cast<unsigned>(s_[j++] - '0'), 100000u);
      digits = true;
    }
    if (!digits) return std::nullopt;
    high = low;
    if (j < s_.size() && s_[j] == ',') {
      ++j;
      high = ~0u;
      if (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) {
        high = 0;
        while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j])))
          high = std::min(high * 10 + static_cast<unsigned>(s_[j++] - '0'), 100000u);
      }
    }
    if (j >= s_.size() || s_[j] != '}') return std::nullopt;
    i_ = j + 1;
    return std::pair{low, high};
  }

  Info quantified(Info piece) {
    unsigned low = 1, high = 1;
    const char c = peek();
    if (c == '*') low = 0, high = ~0u, ++i_;
    else if (c == '+') high = ~0u, ++i_;
    else if (c == '?') low = 0, ++i_;
    else if (c == '{') {
      const auto range = braces();
      if (!range) return piece;
      std::tie(low, high) = *range;
    } else {
      return piece;
    }
    if (peek() == '?' || peek() == '+') ++i_;  // lazy / possessive
    if (low == 0 && high == 1 && piece.exact && piece.exact->size() < kMaxExact) {
      piece.exact->push_back("");  // optional: the piece or nothing
      unique(*piece.exact);
      return piece;
    }
    if (low == 0) return Info::unknown();
    if (low == 1 && high == 1) return piece;
    return {std::nullopt, piece.requirement()};
  }

  Info atom(int depth) {
    const char c = s_[i_];
    switch (c) {
      case '(': return group(depth);
      case '[': return character_class();
      case '.': ++i_; return Info::unknown();
      case '^':
      case '$': ++i_; return Info::empty();
      case '\\': return escape();
      case '*':
      case '+':
      case '?': return fail();  // a quantifier with nothing before it
      default: break;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      // A multi-byte character is one atom; non-ASCII case folding is not modelled.
      ++i_;
      while (!at_end() && (static_cast<unsigned char>(peek()) & 0xC0) == 0x80) ++i_;
      return Info::unknown();
    }
    ++i_;
    return Info::literal(std::string(1, fold(c)));
  }

  Info group(int depth) {
    ++i_;  // '('
    bool lookaround = false;
    if (peek() == '*') return fail();  // (*VERB)
    if (peek() == '?') {
      ++i_;
      const char kind = peek();
      if (kind == ':' || kind == '>' || kind == '|') {
        ++i_;
      } else if (kind == '=' || kind == '!') {
        ++i_;
        lookaround = true;
      } else if (kind == '<' && (peek(1) == '=' || peek(1) == '!')) {
        i_ += 2;
        lookaround = true;
      } else if (kind == '<' || kind == '\'' || (kind == 'P' && peek(1) == '<')) {
        const char close = kind == '\'' ? '\'' : '>';
        const std::size_t end = s_.find(close, i_ + 1);
        if (end == std::string_view::npos) return fail();
        i_ = end + 1;
      } else {
        // Inline flags: (?i) alone, or (?i:...) as a group. Extended mode changes the syntax.
        std::size_t j = i_;
        while (j < s_.size() && (std::isalpha(static_cast<unsigned char>(s_[j])) || s_[j] == '-' || s_[j] == '^')) {
          if (s_[j] == 'x' || s_[j] == 'J') return fail();
          ++j;
        }
        if (j >= s_.size() || j == i_) return fail();
        i_ = j + 1;
        if (s_[j] == ')') return Info::empty();
        if (s_[j] != ':') return fail();
      }
    }
    Info inner = alternation(depth + 1);
    if (failed_ || peek() != ')') return fail();
    ++i_;
    return lookaround ? Info::empty() : inner;
  }

  Info character_class() {
    ++i_;  // '['
    if (peek() == '^') ++i_;
    if (peek() == ']') ++i_;  // a leading ']' is literal
    while (!at_end() && peek() != ']') {
      if (peek() == '\\') i_ += 2;
      else if (peek() == '[' && peek(1) == ':') {
        const std::size_t end = s_.find(":]", i_ + 2);
        if (end == std::string_view::npos) return fail();
        i_ = end + 2;
      } else ++i_;
    }
    if (at_end()) return fail();
    ++i_;
    return Info::unknown();
  }

  Info escape() {
    ++i_;  // '\'
    if (at_end()) return fail();
    const char c = s_[i_++];
    switch (c) {
      case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H': case 'v': case 'V':
      case 'R': case 'N': case 'X': case 'C':
        return Info::unknown();
      case 'p': case 'P':
        if (peek() == '{') {
          const std::size_t end = s_.find('}', i_);
          if (end == std::string_view::npos) return fail();
          i_ = end + 1;
        } else {
          ++i_;
        }
        return Info::unknown();
      case 'b': case 'B': case 'A': case 'Z': case 'z': case 'G': case 'K': return Info::empty();
      case 'n': return Info::literal("\n");
      case 't': return Info::literal("\t");
      case 'r': return Info::literal("\r");
      case 'f': return Info::literal("\f");
      case 'x': {
        unsigned value = 0;
        if (peek() == '{') {
          const std::size_t end = s_.find('}', i_);
          if (end == std::string_view::npos) return fail();
          for (std::size_t j = i_ + 1; j < end; ++j) {
            if (!std::isxdigit(static_cast<unsigned char>(s_[j]))) return fail();
            value = std::min(value * 16 + hex_digit(s_[j]), 0x110000u);
          }
          i_ = end + 1;
        } else {
          for (int n = 0; n < 2 && std::isxdigit(static_cast<unsigned char>(peek())); ++n, ++i_)
            value = value * 16 + hex_digit(peek());
        }
        if (value == 0 || value >= 0x80) return Info::unknown();
        return Info::literal(std::string(1, fold(static_cast<char>(value))));
      }
      default: break;
    }
    if (std::isalnum(static_cast<unsigned char>(c))) {
      // Back-references (\1) and escapes not modelled here (\Q, \E, \g, \k, \c, \o, \0...).
      if (std::isdigit(static_cast<unsigned char>(c)) && c != '0') {
        while (std::isdigit(static_cast<unsigned char>(peek()))) ++i_;
        return Info::unknown();
      }
      return fail();
    }
    if (static_cast<unsigned char>(c) >= 0x80) return fail();
    return Info::literal(std::string(1, fold(c)));
  }
};

}  // namespace

std::optional<std::vector<std::string>> required_literals(std::string_view regex) {
  auto info = Walker(regex).run();
  if (!info) return std::nullopt;
  return info->requirement();
}

}  // namespace moat::pattern
