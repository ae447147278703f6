#include "moat/deps/version.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace moat::deps {

namespace {

bool is_space(char character) {
  return character == ' ' || character == '\t' || character == '\n' || character == '\r' || character == '\f' ||
         character == '\v';
}

/// Length of the (Python `str.isspace`) whitespace character encoded at the start of `text`, or 0.
std::size_t leading_space(std::string_view text) {
  if (text.empty()) return 0;
  const auto byte = static_cast<unsigned char>(text[0]);
  if (is_space(text[0]) || (byte >= 0x1c && byte <= 0x1f)) return 1;
  auto code_at = [&](std::size_t length) -> std::uint32_t {
    if (text.size() < length) return 0;
    std::uint32_t code = byte & (length == 2 ? 0x1Fu : 0x0Fu);
    for (std::size_t index = 1; index < length; ++index) code = (code << 6) | (static_cast<unsigned char>(text[index]) & 0x3Fu);
    return code;
  };
  std::size_t length = 0;
  if ((byte & 0xE0) == 0xC0) length = 2;
  else if ((byte & 0xF0) == 0xE0) length = 3;
  if (length == 0) return 0;
  const std::uint32_t code = code_at(length);
  const bool space = code == 0x85 || code == 0xA0 || code == 0x1680 || (code >= 0x2000 && code <= 0x200A) ||
                     code == 0x2028 || code == 0x2029 || code == 0x202F || code == 0x205F || code == 0x3000;
  return space ? length : 0;
}

/// Same, for the character that ends `text`.
std::size_t trailing_space(std::string_view text) {
  for (std::size_t length = 1; length <= 3 && length <= text.size(); ++length)
    if (leading_space(text.substr(text.size() - length)) == length) return length;
  return 0;
}

bool is_digit(char character) { return character >= '0' && character <= '9'; }

char lower(char character) {
  return (character >= 'A' && character <= 'Z') ? static_cast<char>(character - 'A' + 'a') : character;
}

bool is_alnum_lower(char character) {
  const char folded = lower(character);
  return is_digit(folded) || (folded >= 'a' && folded <= 'z');
}

bool is_separator(char character) { return character == '.' || character == '_' || character == '-'; }

/// A cursor over the version text; each reader consumes only on success.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  [[nodiscard]] bool at_end() const { return position_ >= text_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const {
    return position_ + ahead < text_.size() ? text_[position_ + ahead] : '\0';
  }
  [[nodiscard]] std::size_t position() const { return position_; }
  void reset(std::size_t position) { position_ = position; }
  void advance(std::size_t count = 1) { position_ += count; }

  bool take(char expected) {
    if (lower(peek()) != expected) return false;
    ++position_;
    return true;
  }
  bool take_separator() {
    if (!is_separator(peek())) return false;
    ++position_;
    return true;
  }
  /// Case-insensitive keyword.
  bool take_word(std::string_view word) {
    if (text_.size() - position_ < word.size()) return false;
    for (std::size_t index = 0; index < word.size(); ++index)
      if (lower(text_[position_ + index]) != word[index]) return false;
    position_ += word.size();
    return true;
  }
  /// Digits as a number; false (and nothing consumed) when absent; `overflow` set when too big.
  bool take_number(std::uint64_t& value, bool& overflow) {
    const std::size_t start = position_;
    while (is_digit(peek())) ++position_;
    if (position_ == start) return false;
    const auto* first = text_.data() + start;
    const auto [end, error] = std::from_chars(first, text_.data() + position_, value);
    if (error != std::errc() || end != text_.data() + position_) overflow = true;
    return true;
  }

 private:
  std::string_view text_;
  std::size_t position_ = 0;
};

struct PreWord {
  std::string_view word;
  PreKind kind;
};

// Longer spellings first so that "alpha" is not read as "a" + "lpha".
constexpr std::array<PreWord, 8> kPreWords{{{"alpha", PreKind::alpha},
                                            {"a", PreKind::alpha},
                                            {"beta", PreKind::beta},
                                            {"b", PreKind::beta},
                                            {"preview", PreKind::rc},
                                            {"pre", PreKind::rc},
                                            {"c", PreKind::rc},
                                            {"rc", PreKind::rc}}};

std::optional<PreRelease> read_pre(Cursor& cursor, bool& overflow) {
  const std::size_t start = cursor.position();
  cursor.take_separator();
  for (const auto& candidate : kPreWords) {
    if (!cursor.take_word(candidate.word)) continue;
    // The separator after the word is taken even when no number follows ("1.0a-" is valid).
    PreRelease pre{candidate.kind, 0};
    cursor.take_separator();
    cursor.take_number(pre.number, overflow);
    return pre;
  }
  cursor.reset(start);
  return std::nullopt;
}

std::optional<std::uint64_t> read_post(Cursor& cursor, bool& overflow) {
  const std::size_t start = cursor.position();
  std::uint64_t number = 0;
  if (cursor.take('-') && cursor.take_number(number, overflow)) return number;
  cursor.reset(start);
  cursor.take_separator();
  if (cursor.take_word("post") || cursor.take_word("rev") || cursor.take_word("r")) {
    cursor.take_separator();
    cursor.take_number(number, overflow);
    return number;
  }
  cursor.reset(start);
  return std::nullopt;
}

std::optional<std::uint64_t> read_dev(Cursor& cursor, bool& overflow) {
  const std::size_t start = cursor.position();
  cursor.take_separator();
  if (!cursor.take_word("dev")) {
    cursor.reset(start);
    return std::nullopt;
  }
  std::uint64_t number = 0;
  cursor.take_separator();
  cursor.take_number(number, overflow);
  return number;
}

bool read_local(Cursor& cursor, std::vector<LocalSegment>& local) {
  if (cursor.peek() != '+') return true;
  cursor.advance();
  while (true) {
    std::string segment;
    while (is_alnum_lower(cursor.peek())) {
      segment.push_back(lower(cursor.peek()));
      cursor.advance();
    }
    if (segment.empty()) return false;
    if (std::ranges::all_of(segment, is_digit)) {
      std::uint64_t number = 0;
      const auto [end, error] = std::from_chars(segment.data(), segment.data() + segment.size(), number);
      if (error != std::errc() || end != segment.data() + segment.size()) return false;
      local.push_back(LocalSegment{true, number, {}});
    } else {
      local.push_back(LocalSegment{false, 0, std::move(segment)});
    }
    if (!is_separator(cursor.peek()) || !is_alnum_lower(cursor.peek(1))) return true;
    cursor.advance();
  }
}

std::string join_numbers(const std::vector<std::uint64_t>& numbers) {
  std::string text;
  for (std::size_t index = 0; index < numbers.size(); ++index) {
    if (index > 0) text.push_back('.');
    text += std::to_string(numbers[index]);
  }
  return text;
}

// Ranks of the comparison key (see operator<=>): dev-only releases sort below every pre-release,
// releases without a pre-release above rc.
constexpr int kPreRankDevOnly = -1;
constexpr int kPreRankFinal = 3;

int pre_rank(const Version& version) {
  if (version.pre) return static_cast<int>(version.pre->kind);
  return (!version.post && version.dev) ? kPreRankDevOnly : kPreRankFinal;
}

std::strong_ordering compare_local(const std::vector<LocalSegment>& left, const std::vector<LocalSegment>& right) {
  const std::size_t common = std::min(left.size(), right.size());
  for (std::size_t index = 0; index < common; ++index) {
    const auto& a = left[index];
    const auto& b = right[index];
    if (a.is_number != b.is_number) return a.is_number ? std::strong_ordering::greater : std::strong_ordering::less;
    if (const auto order = a.is_number ? a.number <=> b.number : a.text <=> b.text; order != 0) return order;
  }
  return left.size() <=> right.size();
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  while (const std::size_t length = leading_space(text)) text.remove_prefix(length);
  while (const std::size_t length = trailing_space(text)) text.remove_suffix(length);
  Cursor cursor(text);
  bool overflow = false;
  Version version;
  cursor.take('v');

  std::uint64_t number = 0;
  const std::size_t epoch_start = cursor.position();
  if (cursor.take_number(number, overflow) && cursor.peek() == '!') {
    version.epoch = number;
    cursor.advance();
  } else {
    cursor.reset(epoch_start);
  }
  if (!cursor.take_number(number, overflow)) return std::nullopt;
  version.release.push_back(number);
  while (cursor.peek() == '.' && is_digit(cursor.peek(1))) {
    cursor.advance();
    cursor.take_number(number, overflow);
    version.release.push_back(number);
  }
  version.pre = read_pre(cursor, overflow);
  version.post = read_post(cursor, overflow);
  version.dev = read_dev(cursor, overflow);
  if (!read_local(cursor, version.local)) return std::nullopt;
  if (!cursor.at_end() || overflow) return std::nullopt;
  return version;
}

std::size_t match_version_prefix(std::string_view text, const VersionPrefixRules& rules) {
  Cursor cursor(text);
  bool overflow = false;
  std::uint64_t number = 0;
  cursor.take('v');
  const std::size_t epoch_start = cursor.position();
  if (!(cursor.take_number(number, overflow) && cursor.peek() == '!')) cursor.reset(epoch_start);
  else cursor.advance();
  if (!cursor.take_number(number, overflow)) return 0;
  std::size_t parts = 1;
  while (cursor.peek() == '.' && is_digit(cursor.peek(1))) {
    cursor.advance();
    cursor.take_number(number, overflow);
    ++parts;
  }
  if (parts < rules.min_release_parts) return 0;
  if (rules.allow_wildcard && cursor.peek() == '.' && cursor.peek(1) == '*') return cursor.position() + 2;
  read_pre(cursor, overflow);
  read_post(cursor, overflow);
  read_dev(cursor, overflow);
  if (rules.allow_local && cursor.peek() == '+' && is_alnum_lower(cursor.peek(1))) {
    std::vector<LocalSegment> ignored;
    read_local(cursor, ignored);
  }
  return cursor.position();
}

std::string Version::base_string() const {
  std::string text = epoch != 0 ? std::to_string(epoch) + "!" : std::string();
  return text + join_numbers(release);
}

std::string Version::public_string() const {
  std::string text = base_string();
  if (pre) {
    static constexpr std::array<std::string_view, 3> kNames{"a", "b", "rc"};
    text += kNames[static_cast<std::size_t>(pre->kind)];
    text += std::to_string(pre->number);
  }
  if (post) text += ".post" + std::to_string(*post);
  if (dev) text += ".dev" + std::to_string(*dev);
  return text;
}

std::string Version::local_string() const {
  std::string text;
  for (std::size_t index = 0; index < local.size(); ++index) {
    if (index > 0) text.push_back('.');
    text += local[index].is_number ? std::to_string(local[index].number) : local[index].text;
  }
  return text;
}

std::string Version::to_string() const {
  return local.empty() ? public_string() : public_string() + "+" + local_string();
}

std::vector<std::uint64_t> Version::trimmed_release() const {
  std::vector<std::uint64_t> trimmed = release;
  while (trimmed.size() > 1 && trimmed.back() == 0) trimmed.pop_back();
  return trimmed;
}

Version Version::without_local() const {
  Version copy = *this;
  copy.local.clear();
  return copy;
}

std::strong_ordering operator<=>(const Version& left, const Version& right) {
  if (const auto order = left.epoch <=> right.epoch; order != 0) return order;
  const std::size_t longest = std::max(left.release.size(), right.release.size());
  for (std::size_t index = 0; index < longest; ++index) {
    const std::uint64_t a = index < left.release.size() ? left.release[index] : 0;
    const std::uint64_t b = index < right.release.size() ? right.release[index] : 0;
    if (const auto order = a <=> b; order != 0) return order;
  }
  if (const auto order = pre_rank(left) <=> pre_rank(right); order != 0) return order;
  const std::uint64_t left_pre = left.pre ? left.pre->number : 0;
  const std::uint64_t right_pre = right.pre ? right.pre->number : 0;
  if (const auto order = left_pre <=> right_pre; order != 0) return order;
  if (const auto order = left.post.has_value() <=> right.post.has_value(); order != 0) return order;
  if (const auto order = left.post.value_or(0) <=> right.post.value_or(0); order != 0) return order;
  // A dev release sorts below the same version without one.
  if (const auto order = !left.dev.has_value() <=> !right.dev.has_value(); order != 0) return order;
  if (const auto order = left.dev.value_or(0) <=> right.dev.value_or(0); order != 0) return order;
  return compare_local(left.local, right.local);
}

bool operator==(const Version& left, const Version& right) { return (left <=> right) == 0; }

std::string normalize_name(std::string_view name) {
  std::string normalized;
  normalized.reserve(name.size());
  bool in_separator_run = false;
  for (const char character : name) {
    if (is_separator(character)) {
      if (!in_separator_run) normalized.push_back('-');
      in_separator_run = true;
    } else {
      normalized.push_back(lower(character));
      in_separator_run = false;
    }
  }
  return normalized;
}

}  // namespace moat::deps
