// Bandit 1.9.4's JSON report shape (`--format bandit-json`, `moat bandit -f json`): results with
// Bandit's fields, errors, per-file metrics, generated_at; keys sorted, two-space indent, ASCII.
#include <algorithm>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "moat/report/render.hpp"
#include "moat/util/parallel.hpp"

namespace moat::report {

namespace {

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

nlohmann::json cwe_json(const Finding& finding) {
  if (!finding.cwe || *finding.cwe == 0) return nlohmann::json::object();
  return {{"id", *finding.cwe},
          {"link", "https://cwe.mitre.org/data/definitions/" + std::to_string(*finding.cwe) + ".html"}};
}

nlohmann::json detail(const Finding& finding, const char* key, nlohmann::json fallback) {
  const auto found = finding.details.find(key);
  return found != finding.details.end() ? nlohmann::json(*found) : std::move(fallback);
}

nlohmann::json empty_counts() {
  nlohmann::json counts;
  for (const char* criteria : {"SEVERITY", "CONFIDENCE"})
    for (const char* rank : {"UNDEFINED", "LOW", "MEDIUM", "HIGH"}) counts[std::string(criteria) + "." + rank] = 0;
  counts["loc"] = 0;
  counts["nosec"] = 0;
  counts["skipped_tests"] = 0;
  return counts;
}

}  // namespace

nlohmann::json bandit_result(const Finding& finding) {
  nlohmann::json line_range = nlohmann::json::array({finding.location.line});
  return {{"code", detail(finding, "code", "")},
          {"col_offset", detail(finding, "col_offset", finding.location.column)},
          {"end_col_offset", detail(finding, "end_col_offset", finding.location.end_column)},
          {"filename", finding.location.path},
          {"issue_confidence", upper(to_string(finding.confidence))},
          {"issue_cwe", cwe_json(finding)},
          {"issue_severity", upper(to_string(finding.severity == Severity::critical ? Severity::high : finding.severity))},
          {"issue_text", finding.message},
          {"line_number", finding.location.line},
          {"line_range", detail(finding, "line_range", line_range)},
          {"more_info", detail(finding, "more_info", "")},
          {"test_id", finding.rule_id},
          {"test_name", detail(finding, "test_name", finding.title)}};
}

namespace {

// The report is written as it is walked rather than built as one JSON tree and dumped: on a large
// scan the tree cost more than the checks' own output. The text is what nlohmann's
// dump(2, ' ', ensure_ascii, replace) prints for the same document.

void write_string(std::string& out, std::string_view text);

/// An array of integers as dump(2) prints it, each line shifted by `indent`.
template <typename Json>
bool write_integer_array(std::string& out, const Json& value, int indent) {
  if (!value.is_array() || !std::ranges::all_of(value, [](const Json& item) { return item.is_number_integer(); }))
    return false;
  if (value.empty()) {
    out += "[]";
    return true;
  }
  out += "[\n";
  for (std::size_t i = 0; i < value.size(); ++i) {
    out.append(static_cast<std::size_t>(indent) + 2, ' ');
    out += std::to_string(value[i].template get<long long>());
    out += i + 1 < value.size() ? ",\n" : "\n";
  }
  out.append(static_cast<std::size_t>(indent), ' ');
  out += ']';
  return true;
}

template <typename Json>
void write_value(std::string& out, const Json& value, int indent) {
  // Strings, integers and line ranges, most of the fields, without a dump() and its temporary.
  if (value.is_string()) return write_string(out, value.template get_ref<const typename Json::string_t&>());
  if (value.is_number_integer()) {
    out += std::to_string(value.template get<long long>());
    return;
  }
  if (write_integer_array(out, value, indent)) return;
  std::string text = value.dump(value.is_structured() ? 2 : -1, ' ', true, Json::error_handler_t::replace);
  if (!value.is_structured() || (value.empty())) {
    out += text;
    return;
  }
  const std::string margin(static_cast<std::size_t>(indent), ' ');
  for (const char c : text) {
    out += c;
    if (c == '\n') out += margin;  // JSON text holds no raw newline inside strings
  }
}

/// The first byte at or after `from` that JSON text cannot hold as it is (a control byte, '"',
/// '\\') or that ensure_ascii escapes (0x7f and up); text.size() when there is none. Sixteen bytes
/// per step with SSE2: the code snippets are most of a report's bytes.
std::size_t next_special_byte(std::string_view text, std::size_t from) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20), quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  const __m128i del = _mm_set1_epi8(0x7f);
  for (; text.size() - from >= 16; from += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + from));
    // As signed bytes, everything from 0x80 up is negative: below 0x20 like the control bytes.
    const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(bytes, space), _mm_cmpeq_epi8(bytes, del)),
                                         _mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    if (const int mask = _mm_movemask_epi8(special); mask != 0) return from + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; from < text.size(); ++from) {
    const auto c = static_cast<unsigned char>(text[from]);
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return from;
  }
  return text.size();
}

/// A JSON string as nlohmann's dump(ensure_ascii) writes it. ASCII text is escaped here, straight
/// into the buffer (code snippets are full of newlines and quotes); anything else goes through
/// nlohmann for its UTF-8 handling.
void write_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  bool ascii = true;
  // At most six bytes per input byte (\u00XX) and the quotes.
  out.resize_and_overwrite(start + 6 * text.size() + 2, [&](char* buffer, std::size_t) {
    char* at = buffer + start;
    *at++ = '"';
    std::size_t plain_from = 0;
    for (std::size_t i = next_special_byte(text, 0); i < text.size(); i = next_special_byte(text, i + 1)) {
      const char c = text[i];
      if (static_cast<unsigned char>(c) >= 0x7f) {
        ascii = false;
        return start;
      }
      at = std::copy(text.data() + plain_from, text.data() + i, at);
      plain_from = i + 1;
      *at++ = '\\';
      switch (c) {
        case '"': *at++ = '"'; break;
        case '\\': *at++ = '\\'; break;
        case '\b': *at++ = 'b'; break;
        case '\t': *at++ = 't'; break;
        case '\n': *at++ = 'n'; break;
        case '\f': *at++ = 'f'; break;
        case '\r': *at++ = 'r'; break;
        default:
          at = std::copy_n("u00", 3, at);
          *at++ = kHex[(static_cast<unsigned char>(c) >> 4) & 0xf];
          *at++ = kHex[static_cast<unsigned char>(c) & 0xf];
      }
    }
    at = std::copy(text.data() + plain_from, text.data() + text.size(), at);
    *at++ = '"';
    return static_cast<std::size_t>(at - buffer);
  });
  if (!ascii) out += nlohmann::json(text).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

void write_key(std::string& out, int indent, std::string_view key) {
  out.append(static_cast<std::size_t>(indent), ' ');
  write_string(out, key);
  out += ": ";
}

/// A detail of the finding, or what `make_fallback()` returns when the scanner did not record it.
template <typename MakeFallback>
void write_detail(std::string& out, const Finding& finding, const char* key, const MakeFallback& make_fallback, int indent) {
  const auto found = finding.details.find(key);
  if (found != finding.details.end()) return write_value(out, *found, indent);
  write_value(out, nlohmann::json(make_fallback()), indent);
}

/// {"id": N, "link": "..."} as dump(2) prints it inside a result, or {} without a CWE.
void write_cwe(std::string& out, const Finding& finding) {
  if (!finding.cwe || *finding.cwe == 0) {
    out += "{}";
    return;
  }
  const std::string id = std::to_string(*finding.cwe);
  out += "{\n        \"id\": " + id + ",\n        \"link\": \"https://cwe.mitre.org/data/definitions/" + id +
         ".html\"\n      }";
}

void write_result(std::string& out, const Finding& finding) {
  constexpr int kField = 6;
  out += "    {\n";
  // The field names need no escaping: each is written with its indent in one append.
  const auto next = [&] { out += ",\n"; };
  const auto empty = [] { return ""; };
  out += "      \"code\": ", write_detail(out, finding, "code", empty, kField), next();
  out += "      \"col_offset\": ", write_detail(out, finding, "col_offset", [&] { return finding.location.column; }, kField), next();
  out += "      \"end_col_offset\": ", write_detail(out, finding, "end_col_offset", [&] { return finding.location.end_column; }, kField), next();
  out += "      \"filename\": ", write_string(out, finding.location.path), next();
  out += "      \"issue_confidence\": ", write_string(out, upper(to_string(finding.confidence))), next();
  out += "      \"issue_cwe\": ", write_cwe(out, finding), next();
  out += "      \"issue_severity\": ";
  write_string(out, upper(to_string(finding.severity == Severity::critical ? Severity::high : finding.severity)));
  next();
  out += "      \"issue_text\": ", write_string(out, finding.message), next();
  out += "      \"line_number\": ", out += std::to_string(finding.location.line), next();
  out += "      \"line_range\": ", write_detail(out, finding, "line_range", [&] { return nlohmann::json::array({finding.location.line}); }, kField), next();
  out += "      \"more_info\": ", write_detail(out, finding, "more_info", empty, kField), next();
  out += "      \"test_id\": ", write_string(out, finding.rule_id), next();
  out += "      \"test_name\": ", write_detail(out, finding, "test_name", [&] { return finding.title; }, kField);
  out += "\n    }";
}

/// The scanner's per-file counts, files and keys in sorted order.
void write_recorded_metrics(std::string& out, const nlohmann::ordered_json& metrics) {
  std::vector<std::pair<std::string_view, const nlohmann::ordered_json*>> files;
  for (const auto& [path, counts] : metrics.items()) files.emplace_back(path, &counts);
  std::ranges::sort(files);
  if (files.empty()) {
    out += "{}";
    return;
  }
  out += "{\n";
  for (std::size_t i = 0; i < files.size(); ++i) {
    write_key(out, 4, files[i].first);
    std::vector<std::pair<std::string_view, long long>> counts;
    for (const auto& [key, value] : files[i].second->items()) counts.emplace_back(key, value.get<long long>());
    std::ranges::sort(counts);
    out += counts.empty() ? "{}" : "{\n";
    for (std::size_t k = 0; k < counts.size(); ++k) {
      write_key(out, 6, counts[k].first);
      out += std::to_string(counts[k].second);
      out += k + 1 < counts.size() ? ",\n" : "\n    }";
    }
    out += i + 1 < files.size() ? ",\n" : "\n";
  }
  out += "  }";
}

/// Bandit's counts computed from the findings, for reports whose scanner recorded none.
nlohmann::json counted_metrics(const Report& report) {
  nlohmann::json counted;
  counted["_totals"] = empty_counts();
  for (const auto& finding : report.findings) {
    auto& file = counted[finding.location.path];
    if (file.is_null()) file = empty_counts();
    for (auto* counts : {&file, &counted["_totals"]}) {
      (*counts)["SEVERITY." + upper(to_string(finding.severity))] = (*counts)["SEVERITY." + upper(to_string(finding.severity))].get<int>() + 1;
      (*counts)["CONFIDENCE." + upper(to_string(finding.confidence))] = (*counts)["CONFIDENCE." + upper(to_string(finding.confidence))].get<int>() + 1;
    }
  }
  return counted;
}

}  // namespace

std::string render_bandit_json(const Report& report, const RenderOptions& options) {
  // Results are written first, in blocks on all cores (a large scan has thousands), so the
  // report's buffer is sized once: growing a 5 MB string copies it and touches fresh pages.
  constexpr std::size_t kBlock = 256;
  const std::size_t count = report.findings.size();
  std::vector<std::string> blocks((count + kBlock - 1) / kBlock);
  parallel_for_each_block(count, kBlock, 0, [&](std::size_t begin, std::size_t end) {
    std::string& text = blocks[begin / kBlock];
    text.reserve((end - begin) * 2048);
    for (std::size_t i = begin; i < end; ++i) {
      write_result(text, report.findings[i]);
      text += i + 1 < count ? ",\n" : "\n";
    }
  });
  std::size_t size = 4096;
  for (const std::string& text : blocks) size += text.size();
  if (const auto metrics = report.stats.find("bandit_metrics"); metrics != report.stats.end()) size += metrics->size() * 512;
  std::string out;
  out.reserve(size);
  out += "{\n";
  write_key(out, 2, "errors");
  if (report.errors.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    for (std::size_t i = 0; i < report.errors.size(); ++i) {
      out += "    {\n";
      write_key(out, 6, "filename"), write_string(out, report.errors[i].path), out += ",\n";
      write_key(out, 6, "reason"), write_string(out, report.errors[i].message);
      out += i + 1 < report.errors.size() ? "\n    },\n" : "\n    }\n";
    }
    out += "  ]";
  }
  out += ",\n";
  write_key(out, 2, "generated_at");
  write_string(out, options.generated_at.empty() ? utc_timestamp() : options.generated_at);
  out += ",\n";
  write_key(out, 2, "metrics");
  if (const auto metrics = report.stats.find("bandit_metrics"); metrics != report.stats.end()) {
    write_recorded_metrics(out, *metrics);
  } else {
    write_value(out, counted_metrics(report), 2);
  }
  out += ",\n";
  write_key(out, 2, "results");
  if (report.findings.empty()) {
    out += "[]";
  } else {
    out += "[\n";
    for (const std::string& text : blocks) out += text;
    out += "  ]";
  }
  out += "\n}";
  return out;
}

}  // namespace moat::report
