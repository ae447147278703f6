#include "moat/dist/rst.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>
#include <set>
#include <span>
#include <utility>

namespace moat::dist {

namespace {

constexpr std::string_view kAdornmentCharacters = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

// docutils' English directive names (docutils/parsers/rst/languages/en.py).
constexpr auto kDirectives = std::to_array<std::string_view>({
    "attention", "caution", "danger", "error", "hint", "important", "note", "tip", "warning", "admonition", "sidebar",
    "topic", "line-block", "parsed-literal", "code", "code-block", "sourcecode", "math", "rubric", "epigraph",
    "highlights", "pull-quote", "compound", "container", "table", "csv-table", "list-table", "meta", "image", "figure",
    "include", "raw", "replace", "unicode", "date", "class", "role", "default-role", "title", "contents", "sectnum",
    "section-numbering", "header", "footer", "target-notes"});
// Directives whose content is not reStructuredText (not scanned).
constexpr auto kLiteralDirectives =
    std::to_array<std::string_view>({"code", "code-block", "sourcecode", "math", "raw", "csv-table", "parsed-literal"});
// readme_renderer turns these off (file_insertion_enabled and raw_enabled are false).
constexpr auto kDisabledDirectives = std::to_array<std::string_view>({"include", "raw"});
// docutils' implemented interpreted-text roles.
constexpr auto kRoles = std::to_array<std::string_view>({
    "abbreviation", "ab", "acronym", "ac", "code", "emphasis", "literal", "math", "pep-reference", "pep",
    "rfc-reference", "rfc", "strong", "subscript", "sub", "superscript", "sup", "title-reference", "title", "t"});

struct Line {
  std::string text;  // tabs expanded, trailing white space removed
  std::size_t indent = 0;
  bool blank = true;
};

std::vector<Line> split_lines(std::string_view text) {
  std::vector<Line> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    Line line;
    for (const char character : text.substr(start, end - start)) {
      if (character == '\t') line.text.append(8 - line.text.size() % 8, ' ');
      else if (character != '\r') line.text.push_back(character);
    }
    while (!line.text.empty() && (line.text.back() == ' ' || line.text.back() == '\f' || line.text.back() == '\v'))
      line.text.pop_back();
    line.blank = line.text.empty();
    line.indent = line.blank ? 0 : line.text.find_first_not_of(' ');
    lines.push_back(std::move(line));
    if (end == text.size()) break;
    start = end + 1;
  }
  return lines;
}

/// Display columns as docutils counts them for title adornments: East Asian wide characters count
/// two, combining marks none.
std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (std::size_t index = 0; index < text.size();) {
    const auto byte = static_cast<unsigned char>(text[index]);
    char32_t code = byte;
    std::size_t length = 1;
    if (byte >= 0xF0) length = 4, code = byte & 0x07U;
    else if (byte >= 0xE0) length = 3, code = byte & 0x0FU;
    else if (byte >= 0xC0) length = 2, code = byte & 0x1FU;
    for (std::size_t more = 1; more < length && index + more < text.size(); ++more)
      code = (code << 6U) | (static_cast<unsigned char>(text[index + more]) & 0x3FU);
    index += length;
    if (code >= 0x300 && code <= 0x36F) continue;
    const bool wide = (code >= 0x1100 && code <= 0x115F) || (code >= 0x2E80 && code <= 0xA4CF) ||
                      (code >= 0xAC00 && code <= 0xD7A3) || (code >= 0xF900 && code <= 0xFAFF) ||
                      (code >= 0xFE30 && code <= 0xFE4F) || (code >= 0xFF00 && code <= 0xFF60) ||
                      (code >= 0xFFE0 && code <= 0xFFE6) || (code >= 0x20000 && code <= 0x3FFFD);
    width += wide ? 2 : 1;
  }
  return width;
}

bool is_adornment(const Line& line) {
  if (line.blank || line.indent != 0) return false;
  const char first = line.text.front();
  return kAdornmentCharacters.find(first) != std::string_view::npos &&
         std::ranges::all_of(line.text, [first](char character) { return character == first; });
}

std::string_view body_of(const Line& line) { return std::string_view(line.text).substr(line.indent); }

bool is_explicit_markup(const Line& line) {
  const auto body = body_of(line);
  return !line.blank && (body == ".." || body.starts_with(".. "));
}

/// The column the text of a bullet item starts at, when the line is one ("- text", "* text").
std::optional<std::size_t> bullet_text_column(const Line& line) {
  const auto body = body_of(line);
  if (line.blank || (body[0] != '-' && body[0] != '*' && body[0] != '+')) return std::nullopt;
  if (body.size() == 1) return line.indent + 2;
  if (body[1] != ' ') return std::nullopt;
  return line.indent + body.find_first_not_of(' ', 1);
}

/// Lines that start some other construct than a plain paragraph: lists, fields, options, tables,
/// line blocks, doctests, explicit markup.
bool starts_construct(const Line& line) {
  const auto body = body_of(line);
  if (is_explicit_markup(line) || bullet_text_column(line) || body.starts_with(">>>") || body[0] == '|' ||
      body[0] == '+' || body[0] == ':' || (body[0] == '-' && body.size() > 1 && body[1] != ' '))
    return true;
  // Enumerators: "1. ", "#. ", "a) ", "(iv) ".
  std::size_t index = body[0] == '(' ? 1 : 0;
  const std::size_t first = index;
  while (index < body.size() && (std::isalnum(static_cast<unsigned char>(body[index])) != 0 || body[index] == '#')) ++index;
  return index > first && index < body.size() && (body[index] == '.' || body[index] == ')') &&
         (index + 1 == body.size() || body[index + 1] == ' ');
}

bool contains(std::span<const std::string_view> list, std::string_view name) {
  return std::ranges::find(list, name) != list.end();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& character : out) character = static_cast<char>(std::tolower(static_cast<unsigned char>(character)));
  return out;
}

class RstChecker {
 public:
  explicit RstChecker(std::string_view text) : m_lines(split_lines(text)) {}

  std::vector<RstProblem> run() {
    for (std::size_t index = 0; index < m_lines.size(); ++index) index = visit(index);
    flush_paragraph();
    if (m_expect_literal_above) report(m_lines.size() - 1, 2, "Literal block expected; none found.");
    std::ranges::stable_sort(m_problems, {}, &RstProblem::line);
    return std::move(m_problems);
  }

 private:
  void report(std::size_t line_index, int level, std::string message) {
    m_problems.push_back(RstProblem{static_cast<int>(line_index) + 1, level, std::move(message)});
  }

  /// Handles line `index`; returns the last line it consumed.
  std::size_t visit(std::size_t index) {
    const Line& line = m_lines[index];
    const bool previous_blank = index == 0 || m_lines[index - 1].blank;
    if (m_skip_above) {
      if (line.blank || line.indent > *m_skip_above) return index;
      m_skip_above.reset();
    }
    if (line.blank) {
      flush_paragraph();
      if (index > 0 && !m_lines[index - 1].blank && m_paragraph_ends_with_colons)
        m_expect_literal_above = m_paragraph_column;
      m_paragraph_ends_with_colons = false;
      m_paragraph_lines = 0;
      return index;
    }
    if (m_expect_literal_above) {
      const std::size_t above = *m_expect_literal_above;
      m_expect_literal_above.reset();
      if (line.indent > above) {
        m_skip_above = above;
        m_skip_is_literal = true;
        return index;
      }
      report(index, 2, "Literal block expected; none found.");
    }
    check_unindent(index, previous_blank);

    if (is_explicit_markup(line)) return explicit_markup(index);
    if (previous_blank && body_of(line).starts_with(">>>")) return doctest_block(index);
    if (line.indent == 0 && !line.blank) {
      if (const auto consumed = title(index, previous_blank)) return *consumed;
    }
    if (body_of(line).starts_with('+') && body_of(line).find_first_not_of("+-=") == std::string_view::npos &&
        body_of(line).size() > 2)
      return grid_table(index);
    paragraph_line(index, previous_blank);
    return index;
  }

  /// Explicit markup, bullet lists and literal blocks must end with a blank line.
  void check_unindent(std::size_t index, bool previous_blank) {
    const Line& line = m_lines[index];
    if (m_markup_indent && line.indent <= *m_markup_indent) {
      if (!previous_blank && !(is_explicit_markup(line) && line.indent == *m_markup_indent))
        report(index, 2, "Explicit markup ends without a blank line; unexpected unindent.");
      // Lists inside the directive's content end with it.
      std::erase_if(m_bullets, [&](const Bullet& bullet) { return bullet.indent > *m_markup_indent; });
      m_markup_indent.reset();
    }
    if (m_skip_is_literal) {
      if (!previous_blank) report(index, 2, "Literal block ends without a blank line; unexpected unindent.");
      m_skip_is_literal = false;
    }
    // A sibling of an open item ends the lists nested in it; anything else less indented than an
    // item's text ends its list, and needs a blank line before it.
    const auto sibling = std::ranges::find_if(m_bullets, [&](const Bullet& open) {
      return line.indent == open.indent && body_of(line).front() == open.character && bullet_text_column(line);
    });
    if (sibling != m_bullets.end()) {
      m_bullets.erase(sibling + 1, m_bullets.end());
    } else if (!m_bullets.empty() && line.indent < m_bullets.back().text_column) {
      if (!previous_blank) report(index, 2, "Bullet list ends without a blank line; unexpected unindent.");
      std::erase_if(m_bullets, [&](const Bullet& open) { return line.indent < open.text_column; });
    }
  }

  std::size_t explicit_markup(std::size_t index) {
    flush_paragraph();
    m_paragraph_lines = 0;
    m_paragraph_ends_with_colons = false;
    const Line& line = m_lines[index];
    m_markup_indent = line.indent;
    std::string_view rest = body_of(line).substr(std::min<std::size_t>(3, body_of(line).size()));
    if (rest.starts_with('|')) {  // substitution definition: ".. |name| directive::"
      const std::size_t close = rest.find('|', 1);
      rest = close == std::string_view::npos ? std::string_view() : rest.substr(close + 1);
      rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
    }
    const std::size_t colons = rest.find("::");
    const bool named = colons != std::string_view::npos && colons > 0 &&
                       (colons + 2 == rest.size() || rest[colons + 2] == ' ') &&
                       std::ranges::all_of(rest.substr(0, colons), [](char character) {
                         return std::isalnum(static_cast<unsigned char>(character)) != 0 ||
                                std::strchr("-_.:+", character) != nullptr;
                       });
    if (!named) {  // comments, targets, footnotes, citations: their bodies are not checked
      m_skip_above = line.indent;
      return index;
    }
    const std::string name = lower(rest.substr(0, colons));
    if (contains(kDisabledDirectives, name)) {
      report(index, 2, "\"" + name + "\" directive disabled.");
      m_skip_above = line.indent;
    } else if (!contains(kDirectives, name)) {
      report(index, 3, "Unknown directive type \"" + std::string(rest.substr(0, colons)) + "\".");
      m_skip_above = line.indent;
    } else if (contains(kLiteralDirectives, name)) {
      m_skip_above = line.indent;
    } else if (name == "role") {
      std::string_view argument = rest.substr(colons + 2);
      argument.remove_prefix(std::min(argument.size(), argument.find_first_not_of(' ')));
      m_defined_roles.insert(lower(argument.substr(0, argument.find('('))));
    }
    // Directive options (":target: url") are not paragraphs.
    std::size_t last = index;
    while (last + 1 < m_lines.size() && !m_lines[last + 1].blank && m_lines[last + 1].indent > line.indent &&
           body_of(m_lines[last + 1]).starts_with(':'))
      ++last;
    return last;
  }

  /// A doctest block (">>> " up to the next blank line) is literal text.
  std::size_t doctest_block(std::size_t index) {
    flush_paragraph();
    m_paragraph_lines = 0;
    while (index + 1 < m_lines.size() && !m_lines[index + 1].blank) ++index;
    return index;
  }

  /// A section title (with or without overline) starting at `index`; nullopt when there is none.
  std::optional<std::size_t> title(std::size_t index, bool previous_blank) {
    const Line& line = m_lines[index];
    const bool has_next = index + 1 < m_lines.size() && !m_lines[index + 1].blank;
    if (is_adornment(line) && has_next) {
      if (index + 2 < m_lines.size() && is_adornment(m_lines[index + 2]) && !is_adornment(m_lines[index + 1])) {
        const Line& underline = m_lines[index + 2];
        const std::size_t width = display_width(body_of(m_lines[index + 1]));
        if (underline.text != line.text) report(index, 4, "Title overline & underline mismatch.");
        else if (line.text.size() < width) report(index, 2, "Title overline too short.");
        section(index, line.text.front(), true);
        check_inline(std::string(body_of(m_lines[index + 1])), index + 1);
        return index + 2;
      }
      if (line.text.size() >= 4 && previous_blank) {
        report(index, 4, "Missing matching underline for section title overline.");
        return index + 1;
      }
      return std::nullopt;
    }
    if (!previous_blank || !has_next || !is_adornment(m_lines[index + 1]) || is_adornment(line)) return std::nullopt;
    const Line& underline = m_lines[index + 1];
    if (underline.text.size() < display_width(line.text)) {
      if (underline.text.size() < 4) return std::nullopt;  // docutils: INFO, an ordinary paragraph
      report(index + 1, 2, "Title underline too short.");
    }
    flush_paragraph();
    section(index, underline.text.front(), false);
    check_inline(line.text, index);
    return index + 1;
  }

  /// docutils' title-level rule: a known style returns to its level (never deeper than one below
  /// the current), a new style must be exactly one level below the current.
  void section(std::size_t index, char character, bool overline) {
    const std::pair<char, bool> style{character, overline};
    const auto found = std::ranges::find(m_styles, style);
    const std::size_t level = found != m_styles.end() ? static_cast<std::size_t>(found - m_styles.begin()) + 1
                                                      : m_styles.size() + 1;
    if (level > m_level + 1) {
      report(index, 4, "Title level inconsistent:");
      return;
    }
    if (found == m_styles.end()) m_styles.push_back(style);
    m_level = level;
    m_bullets.clear();
  }

  /// A grid table: every line up to the next blank one must be a border or row of the top border's width.
  std::size_t grid_table(std::size_t index) {
    flush_paragraph();
    const Line& top = m_lines[index];
    std::size_t last = index;
    bool malformed = false;
    while (last + 1 < m_lines.size() && !m_lines[last + 1].blank) {
      const Line& row = m_lines[++last];
      const auto body = body_of(row);
      if (row.indent != top.indent || row.text.size() != top.text.size() || (body[0] != '+' && body[0] != '|') ||
          (row.text.back() != '+' && row.text.back() != '|'))
        malformed = true;
    }
    if (malformed || m_lines[last].text.find_first_not_of("+-= ", top.indent) != std::string::npos)
      report(index, 3, "Malformed table.");
    return last;
  }

  void paragraph_line(std::size_t index, bool previous_blank) {
    const Line& line = m_lines[index];
    std::size_t column = line.indent;
    std::string_view text = body_of(line);
    const auto bullet = bullet_text_column(line);
    const bool opens_item =
        bullet && (previous_blank || (!m_bullets.empty() && m_bullets.back().indent == line.indent));
    if (opens_item) {
      if (m_bullets.empty() || m_bullets.back().indent != line.indent)
        m_bullets.push_back(Bullet{line.indent, *bullet, text.front()});
      column = *bullet;
      // An item may open a nested list on the same line ("* - cell", as in list-table).
      for (std::string_view rest = std::string_view(line.text).substr(column);
           rest.size() > 2 && (rest[0] == '-' || rest[0] == '*' || rest[0] == '+') && rest[1] == ' ';
           rest = std::string_view(line.text).substr(column)) {
        const std::size_t inner = column + rest.find_first_not_of(' ', 1);
        m_bullets.push_back(Bullet{column, inner, rest[0]});
        column = inner;
      }
      text = std::string_view(line.text).substr(column);
    }
    // Inside a paragraph every line at its column is text, whatever it starts with.
    const bool continues = !previous_blank && !opens_item && m_paragraph_lines > 0 && m_paragraph_plain &&
                           column == m_paragraph_column;
    const bool plain = continues || !starts_construct(line);
    if (!previous_blank && m_paragraph_lines >= 2 && m_paragraph_plain && column > m_paragraph_column &&
        !m_paragraph_ends_with_colons) {
      report(index, 3, "Unexpected indentation.");
    }
    if (!continues) {
      flush_paragraph();
      m_paragraph_column = column;
      m_paragraph_lines = 0;
      m_paragraph_plain = plain || opens_item;
      m_paragraph_first_line = index;
    }
    ++m_paragraph_lines;
    if (!m_paragraph.empty()) m_paragraph.push_back('\n');
    m_paragraph.append(text);
    m_paragraph_ends_with_colons = text.ends_with("::");
  }

  void flush_paragraph() {
    if (!m_paragraph.empty()) check_inline(m_paragraph, m_paragraph_first_line);
    m_paragraph.clear();
  }

  static bool opens(std::string_view text, std::size_t at, std::size_t length) {
    const char before = at == 0 ? ' ' : text[at - 1];
    if (at + length >= text.size()) return false;
    const char after = text[at + length];
    if (std::isspace(static_cast<unsigned char>(after)) != 0) return false;
    if (std::isspace(static_cast<unsigned char>(before)) == 0 && std::strchr("-:/'\"<([{", before) == nullptr) return false;
    static constexpr std::array<std::pair<char, char>, 6> kQuotes{
        {{'\'', '\''}, {'"', '"'}, {'(', ')'}, {'[', ']'}, {'{', '}'}, {'<', '>'}}};
    return std::ranges::none_of(kQuotes, [&](const auto& pair) { return before == pair.first && after == pair.second; });
  }

  static bool closes(std::string_view text, std::size_t at, std::size_t length) {
    if (at == 0 || std::isspace(static_cast<unsigned char>(text[at - 1])) != 0) return false;
    if (at + length >= text.size()) return true;
    const auto after = static_cast<unsigned char>(text[at + length]);
    return std::isspace(after) != 0 || after >= 0x80 || std::strchr("-.,:;!?\\/'\")]}>", after) != nullptr;
  }

  /// The end of inline markup opened by `marker` at `from`, or npos. Literals have no escapes.
  static std::size_t find_close(std::string_view text, std::size_t from, std::string_view marker, bool escapes) {
    for (std::size_t at = from; at < text.size(); ++at) {
      if (escapes && text[at] == '\\') {
        ++at;
        continue;
      }
      if (text.compare(at, marker.size(), marker) != 0) continue;
      std::size_t end = at + marker.size();
      if (marker == "`") {  // interpreted text may carry a reference or role suffix
        if (text.compare(end, 2, "__") == 0) end += 2;
        else if (text.compare(end, 1, "_") == 0) end += 1;
      }
      if (closes(text, at, end - at)) return at;
    }
    return std::string_view::npos;
  }

  /// Inline markup of one paragraph: unterminated start-strings and unknown roles, reported at the
  /// paragraph's first line as docutils does.
  void check_inline(std::string_view text, std::size_t first_line) {
    struct Kind {
      std::string_view marker;
      std::string_view what;
    };
    static constexpr std::array<Kind, 4> kKinds{{{"``", "literal"}, {"**", "strong"}, {"*", "emphasis"},
                                                 {"`", "interpreted text or phrase reference"}}};
    for (std::size_t at = 0; at < text.size(); ++at) {
      if (text[at] == '\\') {
        ++at;
        continue;
      }
      if (text[at] == ':') check_role(text, at, first_line);
      for (const auto& kind : kKinds) {
        if (text.compare(at, kind.marker.size(), kind.marker) != 0 || !opens(text, at, kind.marker.size())) continue;
        const std::size_t close = find_close(text, at + kind.marker.size(), kind.marker, kind.marker != "``");
        if (close == std::string_view::npos) {
          report(first_line, 2, "Inline " + std::string(kind.what) + " start-string without end-string.");
          at += kind.marker.size() - 1;
        } else {
          at = close + kind.marker.size() - 1;
        }
        break;
      }
    }
  }

  /// Reports an unknown role when a ":role:`" prefix starts at `at` (the backquoted text after it
  /// is then checked like any interpreted text).
  void check_role(std::string_view text, std::size_t at, std::size_t line_index) {
    const std::size_t end = text.find(":`", at + 1);
    if (end == std::string_view::npos || end == at + 1 || (at > 0 && !opens(text, at, 1))) return;
    const std::string_view name = text.substr(at + 1, end - at - 1);
    if (!std::ranges::all_of(name, [](char character) {
          return std::isalnum(static_cast<unsigned char>(character)) != 0 || std::strchr("-_.:+", character) != nullptr;
        }))
      return;
    const std::string lowered = lower(name);
    if (!contains(kRoles, lowered) && !m_defined_roles.contains(lowered))
      report(line_index, 3, "Unknown interpreted text role \"" + std::string(name) + "\".");
  }

  struct Bullet {
    std::size_t indent;
    std::size_t text_column;
    char character;
  };

  std::vector<Line> m_lines;
  std::vector<RstProblem> m_problems;
  std::vector<std::pair<char, bool>> m_styles;  // title styles in order of first use
  std::size_t m_level = 0;
  std::optional<std::size_t> m_skip_above;      // skip blank lines and lines indented more than this
  bool m_skip_is_literal = false;
  std::optional<std::size_t> m_markup_indent;   // inside an explicit markup block at this indent
  std::optional<std::size_t> m_expect_literal_above;  // after "text::" and a blank line
  std::vector<Bullet> m_bullets;
  std::set<std::string> m_defined_roles;
  std::string m_paragraph;
  std::size_t m_paragraph_first_line = 0;
  std::size_t m_paragraph_column = 0;
  std::size_t m_paragraph_lines = 0;
  bool m_paragraph_plain = false;
  bool m_paragraph_ends_with_colons = false;
};

}  // namespace

std::vector<RstProblem> check_rst(std::string_view text) { return RstChecker(text).run(); }

}  // namespace moat::dist
