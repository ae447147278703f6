#include "moat/pattern/regex_literals.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <tuple>

namespace moat::pattern {

namespace {

using Strings = std::vector<std::string>;

constexpr std::size_t kMaxExact = 64;  // exact sets larger than this become requirements
constexpr int kMaxDepth = 100;

using ByteSet = TrigramSet::ByteSet;

constexpr ByteSet kNonAsciiBytes{0, 0, ~std::uint64_t{0}, ~std::uint64_t{0}};

void add_byte(ByteSet& set, unsigned char byte) { set[byte / 64] |= std::uint64_t{1} << (byte % 64); }

ByteSet unite(ByteSet a, const ByteSet& b) {
  for (std::size_t k = 0; k < a.size(); ++k) a[k] |= b[k];
  return a;
}

// The longer of two run requirements (either one holds).
std::optional<RequiredRun> longer(std::optional<RequiredRun> a, std::optional<RequiredRun> b) {
  if (!a) return b;
  if (!b) return a;
  return a->length >= b->length ? a : b;
}

// What one piece of a regex matches: exactly one of `exact` (when known and small), and in any
// case text containing one of `any_of` (when known) and the run `run` (when known). `chars`: the
// piece is one character whose bytes all lie in this set.
struct Info {
  std::optional<Strings> exact;
  std::optional<Strings> any_of;
  std::optional<ByteSet> chars;
  std::optional<RequiredRun> run;

  static Info literal(std::string text) { return {Strings{std::move(text)}, std::nullopt, std::nullopt, std::nullopt}; }
  static Info empty() { return literal(""); }
  static Info unknown() { return {}; }
  // One character of the class `bytes`, nothing exactly known.
  static Info character(const ByteSet& bytes) { return {std::nullopt, std::nullopt, bytes, std::nullopt}; }
  // The ASCII character `c` (lower case: matching may be caseless, then also its upper case and,
  // for k and s, KELVIN SIGN and LONG S, which are not ASCII).
  static Info ascii(char c) {
    Info info = literal(std::string(1, c));
    ByteSet bytes{};
    add_byte(bytes, static_cast<unsigned char>(c));
    if (c >= 'a' && c <= 'z') {
      add_byte(bytes, static_cast<unsigned char>(c - 'a' + 'A'));
      bytes = unite(bytes, kNonAsciiBytes);
    }
    info.chars = bytes;
    return info;
  }

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
  return {std::move(product), std::nullopt, std::nullopt, std::nullopt};
}

Info alternate(const Info& a, const Info& b) {
  // Either side's run: the shorter length, of the bytes of both.
  std::optional<RequiredRun> run;
  if (a.run && b.run) run = RequiredRun{unite(a.run->bytes, b.run->bytes), std::min(a.run->length, b.run->length)};
  if (a.exact && b.exact && a.exact->size() + b.exact->size() <= kMaxExact) {
    Strings both = *a.exact;
    both.insert(both.end(), b.exact->begin(), b.exact->end());
    unique(both);
    return {std::move(both), std::nullopt, std::nullopt, run};
  }
  auto ra = a.requirement(), rb = b.requirement();
  if (!ra || !rb) return {std::nullopt, std::nullopt, std::nullopt, run};
  ra->insert(ra->end(), rb->begin(), rb->end());
  unique(*ra);
  return {std::nullopt, std::move(ra), std::nullopt, run};
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
    std::optional<RequiredRun> best_run;  // every piece is in the match: the longest run of any
    bool all_exact = true;
    while (!failed_ && !at_end() && peek() != '|' && peek() != ')') {
      Info piece = quantified(atom(depth));
      best_run = longer(std::move(best_run), piece.run);
      if (run.exact && piece.exact && run.exact->size() * piece.exact->size() <= kMaxExact) {
        run = concat(run, piece);
        continue;
      }
      all_exact = false;
      best = better(std::move(best), better(run.requirement(), piece.requirement()));
      run = piece.exact ? std::move(piece) : Info::empty();
    }
    if (all_exact) {
      run.chars.reset();
      run.run = best_run;
      return run;
    }
    return {std::nullopt, better(std::move(best), run.requirement()), std::nullopt, best_run};
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
      piece.chars.reset();
      piece.run.reset();
      return piece;
    }
    if (low == 0) return Info::unknown();
    if (low == 1 && high == 1) return piece;
    // `X{n,}`: n characters of X's class in a row, each of one byte or more, all in the class.
    std::optional<RequiredRun> run = piece.run;
    if (piece.chars && low >= 2) run = longer(run, RequiredRun{*piece.chars, low});
    return {std::nullopt, piece.requirement(), std::nullopt, run};
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
      return Info::character(kNonAsciiBytes);
    }
    ++i_;
    return Info::ascii(fold(c));
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
    inner.chars.reset();  // a group is not one class (its alternatives may be longer)
    return lookaround ? Info::empty() : inner;
  }

  // A class's bytes are known when it is not negated and holds only characters, ranges of ASCII
  // characters and the escapes class_escape() knows.
  Info character_class() {
    ++i_;  // '['
    bool known = true;
    ByteSet bytes{};
    if (peek() == '^') {
      ++i_;
      known = false;
    }
    bool first = true;
    int previous = -1;  // the last single ASCII character, a range's possible start, or -1
    while (!at_end() && (peek() != ']' || first)) {
      first = false;
      if (peek() == '\\') {
        const auto escaped = class_escape(peek(1));
        i_ += 2;
        if (!escaped) known = false;
        else bytes = unite(bytes, escaped->first);
        previous = escaped ? escaped->second : -1;
      } else if (peek() == '[' && peek(1) == ':') {
        const std::size_t end = s_.find(":]", i_ + 2);
        if (end == std::string_view::npos) return fail();
        i_ = end + 2;
        known = false;
        previous = -1;
      } else if (peek() == '-' && previous >= 0 && peek(1) != ']') {
        // A range: only between plain ASCII characters.
        const char high = peek(1);
        i_ += 2;
        if (high == '\\' || high == '[' || static_cast<unsigned char>(high) >= 0x80 || high < previous) {
          known = false;
          if (high == '\\') ++i_;
        } else {
          for (int byte = previous; byte <= high; ++byte) bytes = unite(bytes, *Info::ascii(fold(static_cast<char>(byte))).chars);
        }
        previous = -1;
      } else {
        const char c = peek();
        ++i_;
        if (static_cast<unsigned char>(c) >= 0x80) {
          bytes = unite(bytes, kNonAsciiBytes);
          previous = -1;
        } else {
          bytes = unite(bytes, *Info::ascii(fold(c)).chars);
          previous = c;
        }
      }
    }
    if (at_end()) return fail();
    ++i_;
    return known ? Info::character(bytes) : Info::unknown();
  }

  // The bytes an escape stands for inside a class, with the character itself when it is one
  // ASCII character (a range's bound; else -1); nullopt when not modelled. The shorthand classes also
  // count every non-ASCII byte (\h holds U+00A0, and so on).
  static std::optional<std::pair<ByteSet, int>> class_escape(char c) {
    ByteSet bytes{};
    const auto add = [&](std::string_view members) {
      for (const char member : members) add_byte(bytes, static_cast<unsigned char>(member));
    };
    switch (c) {
      case 'h': add(" \t"); break;
      case 's': add(" \t\n\v\f\r"); break;
      case 'd': add("0123456789"); break;
      case 'w': add("0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"); break;
      case 't': add("\t"); return std::pair{bytes, int{'\t'}};
      case 'n': add("\n"); return std::pair{bytes, int{'\n'}};
      case 'r': add("\r"); return std::pair{bytes, int{'\r'}};
      default:
        if (c == '\0' || std::isalnum(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) >= 0x80)
          return std::nullopt;
        return std::pair{*Info::ascii(c).chars, int{c}};  // escaped punctuation
    }
    return std::pair{unite(bytes, kNonAsciiBytes), -1};
  }

  Info escape() {
    ++i_;  // '\'
    if (at_end()) return fail();
    const char c = s_[i_++];
    switch (c) {
      case 'd': case 'w': case 's': case 'h': return Info::character(class_escape(c)->first);
      case 'D': case 'W': case 'S': case 'H': case 'v': case 'V':
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
      case 'n': return Info::ascii('\n');
      case 't': return Info::ascii('\t');
      case 'r': return Info::ascii('\r');
      case 'f': return Info::ascii('\f');
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
        return Info::ascii(fold(static_cast<char>(value)));
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
    return Info::ascii(fold(c));
  }
};

}  // namespace

std::optional<std::vector<std::string>> required_literals(std::string_view regex) {
  auto info = Walker(regex).run();
  if (!info) return std::nullopt;
  return info->requirement();
}

std::optional<RequiredRun> required_run(std::string_view regex) {
  auto info = Walker(regex).run();
  if (!info) return std::nullopt;
  return info->run;
}

bool contains_run(std::string_view text, const RequiredRun& run) {
  const auto member = [&](std::size_t i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    return ((run.bytes[byte / 64] >> (byte % 64)) & 1) != 0;
  };
  // Test the last byte of each candidate run first: one outside the set rules out every run
  // through it, so most of the text is skipped `length` bytes at a time; no byte is read twice.
  std::size_t start = 0;  // where a run may begin
  std::size_t known = 0;  // bytes [start, known) are in the set
  while (run.length <= text.size() - start) {
    const std::size_t end = start + run.length;
    std::size_t j = end;
    while (j > known && member(j - 1)) --j;
    if (j == known) return true;
    start = j;
    known = end;
  }
  return false;
}

}  // namespace moat::pattern
